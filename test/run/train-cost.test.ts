import { describe, expect, it } from 'vitest';
import { resolveTrainConfig } from '../../src/eval/train/config.js';
import { trainCostOptions } from '../../src/run/train-cost.js';

describe('trainCostOptions: the cost model prices what the trial trains with', () => {
  it('the defaults: batch 128, SGD with momentum (one slot), no checkpointing', () => {
    expect(trainCostOptions(resolveTrainConfig({ seed: 0 }))).toEqual({ batch: 128, optimizer: 'momentum' });
  });

  it('the configured optimizer and batch', () => {
    expect(trainCostOptions(resolveTrainConfig({ seed: 0, batchSize: 32, optimizer: { kind: 'adamw' } }))).toEqual({
      batch: 32,
      optimizer: 'adamw',
    });
    expect(
      trainCostOptions(resolveTrainConfig({ seed: 0, optimizer: { kind: 'sgd', momentum: 0, nesterov: false } }))
        .optimizer,
    ).toBe('sgd');
  });

  it('checkpointing segments on the compiled engine; none where the network trained eagerly', () => {
    const config = resolveTrainConfig({ seed: 0, checkpointing: { segments: 'sqrt' } });
    expect(trainCostOptions(config)).toEqual({ batch: 128, optimizer: 'momentum', segments: 'sqrt' });
    expect(
      trainCostOptions(config, { name: 'eager', fallback: 'diagnostics are measured on the eager engine' }),
    ).toEqual({ batch: 128, optimizer: 'momentum' });
  });

  it('bf16 where the compiled engine trained in bf16; float32 where it fell back', () => {
    const config = resolveTrainConfig({ seed: 0, precision: 'bf16' });
    expect(trainCostOptions(config)).toEqual({ batch: 128, optimizer: 'momentum', precision: 'bf16' });
    expect(trainCostOptions(config, { name: 'compiled', precision: { used: 'bf16' } })).toEqual({
      batch: 128,
      optimizer: 'momentum',
      precision: 'bf16',
    });
    expect(
      trainCostOptions(config, {
        name: 'compiled',
        precision: { used: 'fp32', reason: 'this CPU has no bfloat16 instructions' },
      }),
    ).toEqual({ batch: 128, optimizer: 'momentum' });
  });
});
