import { describe, expect, it } from 'vitest';
import { ArchError } from '../../src/core/errors.js';
import { estimateCost } from '../../src/space/index.js';
import { chain } from './helpers.js';

// input 8×8×3 → conv 3×3 pad 1, 4 filters, no bias → ReLU → GAP → dense 2
const small = chain(
  [8, 8, 3],
  { id: 'c', op: 'conv', filters: 4, kernel: 3, padding: 1, bias: false },
  { id: 'r', op: 'act', fn: 'relu' },
  { id: 'g', op: 'gap' },
  { id: 'fc', op: 'dense', units: 2 },
);

describe('estimateCost on a hand-counted network', () => {
  const c = estimateCost(small, { batch: 2, optimizer: 'momentum', peakFlops: 1e9, efficiency: 0.5 });

  it('params, MACs (conv + dense) and FLOPs = 2 × MACs', () => {
    expect(c.params).toEqual({ trainable: 108 + 10, nonTrainable: 0, total: 118 });
    expect(c.macs).toBe(108 * 64 + 8);
    expect(c.flops).toBe(2 * (108 * 64 + 8));
    expect(c.otherOps).toBe(256 + 256);
  });

  it('memory: weights, gradients, one momentum slot, stored activations at batch 2', () => {
    expect(c.memory.weights).toBe(118 * 4);
    expect(c.memory.gradients).toBe(118 * 4);
    expect(c.memory.optimizerState).toBe(118 * 4);
    expect(c.memory.trainActivations).toBe((192 + 256 + 256 + 4 + 2) * 2 * 4);
    expect(c.memory.trainTotal).toBe(3 * 118 * 4 + 710 * 8);
  });

  it('peak inference activations: the ReLU step holds conv and ReLU outputs', () => {
    expect(c.memory.inferenceActivations).toBe(512 * 4);
  });

  it('latency: Σ FLOPs / (peak × efficiency)', () => {
    expect(c.latency.estimatedMs).toBeCloseTo((13_840 / 5e8) * 1000, 12);
  });

  it('per-layer table: input row first, activation bytes summing to the training activations', () => {
    expect(c.layers.map((l) => [l.name, l.op])).toEqual([
      ['input', 'input'],
      ['c', 'conv'],
      ['r', 'act'],
      ['g', 'gap'],
      ['fc', 'dense'],
    ]);
    expect(c.layers.reduce((s, l) => s + l.activationBytes, 0)).toBe(c.memory.trainActivations);
    expect(c.layers[1]).toMatchObject({ outputShape: [8, 8, 4], params: 108, macs: 6912 });
  });
});

describe('estimateCost options', () => {
  it('Adam keeps two slots; sgd none; the default is SGD with momentum, one slot', () => {
    expect(estimateCost(small, { batch: 1, optimizer: 'adam' }).memory.optimizerState).toBe(2 * 118 * 4);
    expect(estimateCost(small, { batch: 1, optimizer: 'sgd' }).memory.optimizerState).toBe(0);
    expect(estimateCost(small, { batch: 1 }).memory.optimizerState).toBe(118 * 4);
    expect(estimateCost(small, { batch: 1 }).training).toEqual({
      optimizer: 'momentum',
      optimizerSlots: 1,
      precision: 'fp32',
    });
  });

  it('a skip connection keeps its source alive', () => {
    const skip = chain(
      [4, 4, 1],
      { id: 'a', op: 'conv', filters: 2, kernel: 1 },
      { id: 'b', op: 'conv', filters: 2, kernel: 1 },
      { id: 's', op: 'add', inputs: ['b', 'a'] },
    );
    expect(estimateCost(skip, { batch: 1 }).memory.inferenceActivations).toBe(96 * 4);
  });

  it('views (identity, flatten) store nothing', () => {
    const view = chain([2, 2, 2], { id: 'i', op: 'identity' }, { id: 'f', op: 'flatten' });
    const c = estimateCost(view, { batch: 1 });
    expect(c.memory.trainActivations).toBe(8 * 4);
    expect(c.memory.inferenceActivations).toBe(8 * 4);
  });

  it('rejects bad options and bad specs with an ArchError', () => {
    expect(() => estimateCost(small, { batch: 0 })).toThrow(ArchError);
    expect(() => estimateCost(small, { batch: 1, optimizer: 'lion' as never })).toThrow(/options.optimizer/);
    expect(() => estimateCost(small, { batch: 1, precision: 'fp8' as never })).toThrow(
      /options.precision: expected one of fp32, bf16, fp16, got "fp8"/,
    );
    expect(() => estimateCost(small, { batch: 1, segments: 0 })).toThrow(
      /options.segments: expected a positive integer or 'sqrt', got 0/,
    );
    expect(() => estimateCost({ version: 2 }, { batch: 1 })).toThrow(/version: expected 1, got 2/);
  });

  it('the inputShape option wins over the spec', () => {
    expect(estimateCost(small, { batch: 1, inputShape: [16, 16, 3] }).macs).toBe(108 * 256 + 8);
  });
});
