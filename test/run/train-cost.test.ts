import { describe, expect, it } from 'vitest';
import { resolveTrainConfig } from '../../src/eval/train/config.js';
import { trainCostOptions } from '../../src/run/train-cost.js';

describe('trainCostOptions: the cost model prices what the trial trains with', () => {
  it('the defaults: batch 128, SGD with momentum (one slot), no checkpointing', () => {
    expect(trainCostOptions(resolveTrainConfig({ seed: 0 }))).toEqual({ batch: 128, optimizer: 'momentum' });
  });

  it('the configured optimizer and batch', () => {
    expect(trainCostOptions(resolveTrainConfig({ seed: 0, batchSize: 32, optimizer: { kind: 'adamw' } }))).toEqual({ batch: 32, optimizer: 'adamw' });
    expect(trainCostOptions(resolveTrainConfig({ seed: 0, optimizer: { kind: 'sgd', momentum: 0, nesterov: false } })).optimizer).toBe('sgd');
  });

  it('checkpointing segments on the compiled engine; none where the network trained eagerly', () => {
    const config = resolveTrainConfig({ seed: 0, checkpointing: { segments: 'sqrt' } });
    expect(trainCostOptions(config)).toEqual({ batch: 128, optimizer: 'momentum', segments: 'sqrt' });
    expect(trainCostOptions(config, 'eager')).toEqual({ batch: 128, optimizer: 'momentum' });
  });
});
