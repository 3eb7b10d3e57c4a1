import { describe, expect, it } from 'vitest';
import { syntheticDataset } from '../../../src/backend/data/synthetic.js';
import type { ImageSet } from '../../../src/backend/data/types.js';

function classMeans(set: ImageSet, classes: number): Float64Array[] {
  const size = set.images.length / set.count;
  const sums = Array.from({ length: classes }, () => new Float64Array(size));
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < set.count; i++) {
    const label = set.labels[i] as number;
    counts[label] = (counts[label] ?? 0) + 1;
    const sum = sums[label] as Float64Array;
    for (let p = 0; p < size; p++) sum[p] = (sum[p] as number) + (set.images[i * size + p] as number);
  }
  return sums.map((s, label) => s.map((v) => v / (counts[label] ?? 1)));
}

describe('syntheticDataset', () => {
  it('has the requested shape, counts and balanced labels', () => {
    const data = syntheticDataset({ trainCount: 30, testCount: 9, height: 4, width: 5, channels: 3, classes: 3 });
    expect(data.train.shape).toEqual([4, 5, 3]);
    expect(data.train.images.length).toBe(30 * 60);
    expect(data.test.count).toBe(9);
    expect(data.numClasses).toBe(3);
    expect(data.classNames).toEqual(['class-0', 'class-1', 'class-2']);
    expect(Array.from(data.test.labels)).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2]);
  });

  it('keeps pixels in [0, 1]', () => {
    const { images } = syntheticDataset({ noise: 2 }).train;
    expect(images.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(images.some((v) => v === 0)).toBe(true);
    expect(images.some((v) => v === 1)).toBe(true);
  });

  it('is reproducible from its seed and changes with it', () => {
    const a = syntheticDataset({ seed: 7, trainCount: 20 });
    const b = syntheticDataset({ seed: 7, trainCount: 20 });
    const c = syntheticDataset({ seed: 8, trainCount: 20 });
    expect(a.train.images).toEqual(b.train.images);
    expect(a.test.images).toEqual(b.test.images);
    expect(a.train.images).not.toEqual(c.train.images);
  });

  it('is learnable: nearest training class mean classifies ≥ 95% of the test set', () => {
    const data = syntheticDataset({ seed: 3, trainCount: 500, testCount: 500, classes: 10, noise: 0.3 });
    const means = classMeans(data.train, 10);
    const size = 64;
    let correct = 0;
    for (let i = 0; i < data.test.count; i++) {
      const distances = means.map((m) => m.reduce((sum, v, p) => sum + (v - (data.test.images[i * size + p] as number)) ** 2, 0));
      if (distances.indexOf(Math.min(...distances)) === data.test.labels[i]) correct++;
    }
    expect(correct / data.test.count).toBeGreaterThanOrEqual(0.95);
  });
});
