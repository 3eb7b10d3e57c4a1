import { describe, expect, it } from 'vitest';
import { resolveTrainConfig } from '../../../src/eval/train/config.js';
import { assertArch, costOf, optimizerName, type CostOptions } from '../../../src/space/index.js';
import { chain } from '../helpers.js';

// input 4×4×1 → conv 3×3 pad 1, 2 filters (18 + 2 bias = 20 params, 9·2·16 = 288 MACs, 32 out) → ReLU (32)
// → flatten (a view) → dense 3 (96 + 3 = 99 params, 96 MACs): 119 trainable, 384 MACs;
// stored activations 16 + 32 + 32 + 3 = 83 per sample; peak inference 64 (the ReLU step holds conv and ReLU)
const tiny = assertArch(
  chain(
    [4, 4, 1],
    { id: 'c', op: 'conv', filters: 2, kernel: 3, padding: 1 },
    { id: 'r', op: 'act', fn: 'relu' },
    { id: 'f', op: 'flatten' },
    { id: 'fc', op: 'dense', units: 3 },
  ),
);
const at = (o: Omit<CostOptions, 'batch'>) => costOf(tiny, { batch: 2, ...o });

describe('training memory of a hand-counted network', () => {
  it('counts what the comment says', () => {
    const c = at({});
    expect(c.params).toEqual({ trainable: 119, nonTrainable: 0, total: 119 });
    expect(c.macs).toBe(384);
  });

  it('fp32: 4 bytes each; optimizer state by slots (sgd 0, momentum 1 by default, adam 2, adamw 2)', () => {
    const base = {
      weights: 476,
      lowPrecisionWeights: 0,
      gradients: 476,
      trainActivations: 83 * 2 * 4,
      inferenceActivations: 64 * 4,
    };
    expect(at({ optimizer: 'sgd' }).memory).toEqual({ ...base, optimizerState: 0, trainTotal: 476 + 476 + 664 });
    expect(at({}).memory).toEqual({ ...base, optimizerState: 476, trainTotal: 3 * 476 + 664 });
    expect(at({ optimizer: 'adam' }).memory).toEqual({ ...base, optimizerState: 952, trainTotal: 4 * 476 + 664 });
    expect(at({ optimizer: 'adamw' }).memory).toEqual(at({ optimizer: 'adam' }).memory);
    expect(at({ optimizer: 'adamw' }).training).toEqual({ optimizer: 'adamw', optimizerSlots: 2, precision: 'fp32' });
  });

  it('bf16 and fp16 mixed: float32 master weights, gradients and state; a 2-byte weight copy; 2-byte activations', () => {
    const mixed = {
      weights: 476,
      lowPrecisionWeights: 238,
      gradients: 476,
      optimizerState: 952,
      trainActivations: 83 * 2 * 2,
      inferenceActivations: 64 * 2,
    };
    expect(at({ optimizer: 'adam', precision: 'bf16' }).memory).toEqual({
      ...mixed,
      trainTotal: 476 + 238 + 476 + 952 + 332,
    });
    expect(at({ optimizer: 'adam', precision: 'fp16' }).memory).toEqual(
      at({ optimizer: 'adam', precision: 'bf16' }).memory,
    );
    expect(at({ precision: 'bf16' }).layers.map((l) => l.activationBytes)).toEqual([16 * 4, 32 * 4, 32 * 4, 0, 3 * 4]);
  });

  it('BatchNorm moving statistics stay float32 and get no compute copy', () => {
    const bn = assertArch(
      chain([4, 4, 1], { id: 'c', op: 'conv', filters: 2, kernel: 1, bias: false }, { id: 'n', op: 'bn' }),
    );
    const m = costOf(bn, { batch: 1, precision: 'bf16', optimizer: 'sgd' }).memory;
    // conv 2 + BN γ, β 4 trainable; BN mean, variance 4 non-trainable
    expect(m.weights).toBe((6 + 4) * 4);
    expect(m.lowPrecisionWeights).toBe(6 * 2);
    expect(m.gradients).toBe(6 * 4);
  });

  it('checkpointing: kept + largest segment replace the stored activations; K = 1 and K = N change nothing', () => {
    // N = 3 stored nodes (the flatten is a view); K = 2 = ⌈√3⌉ cuts before the flatten: kept input 16 + ReLU 32, largest segment the conv's 32
    expect(at({ segments: 1 }).memory.trainActivations).toBe(83 * 2 * 4);
    expect(at({ segments: 3 }).memory.trainActivations).toBe(83 * 2 * 4);
    expect(at({ segments: 2 }).memory.trainActivations).toBe(80 * 2 * 4);
    expect(at({ segments: 'sqrt', precision: 'bf16' }).memory.trainActivations).toBe(80 * 2 * 2);
    expect(at({ segments: 2 }).memory.trainTotal).toBe(3 * 476 + 640);
    expect(at({ segments: 2 }).memory.inferenceActivations).toBe(64 * 4);
  });

  it('checkpointing recomputes every segment: one more forward pass, +1/3 of a training step', () => {
    expect(at({}).checkpointing).toBeUndefined();
    expect(at({ segments: 'sqrt' }).checkpointing).toEqual({
      spec: 'sqrt',
      segments: 2,
      keptElements: 48,
      largestSegmentElements: 32,
      recomputeMacs: 384,
      computeOverhead: 1 / 3,
    });
    expect(at({ segments: 9 }).checkpointing).toMatchObject({
      spec: 9,
      segments: 3,
      keptElements: 80,
      largestSegmentElements: 3,
    });
  });
});

describe('optimizerName: the resolved training optimizer as the cost model names it', () => {
  it('SGD has a slot only with momentum; Adam and AdamW two', () => {
    expect(optimizerName({ kind: 'sgd', momentum: 0 })).toBe('sgd');
    expect(optimizerName({ kind: 'sgd', momentum: 0.9 })).toBe('momentum');
    expect(optimizerName({ kind: 'adam' })).toBe('adam');
    expect(optimizerName({ kind: 'adamw' })).toBe('adamw');
  });

  it('the default training optimizer (SGD, Nesterov momentum 0.9) is momentum', () => {
    expect(optimizerName(resolveTrainConfig({ seed: 0 }).optimizer)).toBe('momentum');
    expect(
      optimizerName(
        resolveTrainConfig({ seed: 0, optimizer: { kind: 'sgd', momentum: 0, nesterov: false } }).optimizer,
      ),
    ).toBe('sgd');
    expect(optimizerName(resolveTrainConfig({ seed: 0, optimizer: { kind: 'adamw' } }).optimizer)).toBe('adamw');
  });
});
