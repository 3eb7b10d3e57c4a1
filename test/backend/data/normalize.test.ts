import { describe, expect, it } from 'vitest';
import { channelStats, normalizeBatch } from '../../../src/backend/data/normalize.js';
import { syntheticDataset } from '../../../src/backend/data/synthetic.js';
import { createImageSet } from '../../../src/backend/data/types.js';

function perChannel(values: Float32Array, channels: number): { mean: number[]; std: number[] } {
  const mean: number[] = [];
  const std: number[] = [];
  for (let c = 0; c < channels; c++) {
    const xs = values.filter((_, i) => i % channels === c);
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    mean.push(m);
    std.push(Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length));
  }
  return { mean, std };
}

describe('channelStats', () => {
  it('computes the exact mean and population deviation per channel', () => {
    const set = createImageSet(2, [1, 2, 2]);
    set.images.set([0, 1, 0.5, 1, 1, 1, 0.5, 1]);
    const stats = channelStats(set);
    expect(stats.mean).toEqual([0.5, 1]);
    expect(stats.std[0]).toBeCloseTo(Math.sqrt(0.125), 12);
    expect(stats.std[1]).toBe(0);
  });

  it('uses only the given indices', () => {
    const set = createImageSet(3, [1, 1, 1]);
    set.images.set([0.25, 0.75, 100]);
    expect(channelStats(set, Uint32Array.from([0, 1]))).toEqual({ mean: [0.5], std: [0.25] });
  });
});

describe('normalizeBatch', () => {
  it('gives mean 0 and standard deviation 1 in every channel of the set it was computed on', () => {
    const { train } = syntheticDataset({ trainCount: 200, height: 6, width: 6, channels: 3, seed: 4 });
    const batch = Float32Array.from(train.images);
    normalizeBatch(batch, train.count, train.shape, channelStats(train));
    const after = perChannel(batch, 3);
    for (let c = 0; c < 3; c++) {
      expect(after.mean[c]).toBeCloseTo(0, 5);
      expect(after.std[c]).toBeCloseTo(1, 5);
    }
    expect(perChannel(train.images, 3).std.every((s) => Math.abs(s - 1) > 0.1)).toBe(true);
  });

  it('only centres a constant channel and leaves images past count alone', () => {
    const batch = Float32Array.from([0.25, 0.5, 0.75, 0.5, 9, 9]);
    normalizeBatch(batch, 2, [1, 1, 2], { mean: [0.5, 0.5], std: [0.25, 0] });
    expect(Array.from(batch)).toEqual([-1, 0, 1, 0, 9, 9]);
  });

  it('rejects statistics with the wrong channel count', () => {
    expect(() => normalizeBatch(new Float32Array(3), 1, [1, 1, 3], { mean: [0], std: [1] })).toThrow('stats have 1 channels, images have 3');
  });
});
