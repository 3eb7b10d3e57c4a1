import { beforeAll, describe, expect, it } from 'vitest';
import { loadFashionMnist } from '../../../src/backend/data/fashion-mnist.js';
import type { Dataset, ImageSet } from '../../../src/backend/data/types.js';

let fashion: Dataset;
beforeAll(async () => {
  fashion = await loadFashionMnist();
});

function histogram(set: ImageSet): number[] {
  const counts = new Array<number>(10).fill(0);
  for (const label of set.labels) counts[label] = (counts[label] ?? 0) + 1;
  return counts;
}

describe('loadFashionMnist', () => {
  it('loads all 70,000 images of 28×28×1 in 10 classes, 7,000 per class as shipped', () => {
    expect(fashion.train.count + fashion.test.count).toBe(70_000);
    expect(fashion.train.shape).toEqual([28, 28, 1]);
    expect(fashion.numClasses).toBe(10);
    expect(fashion.classNames[9]).toBe('Ankle boot');
    const total = histogram(fashion.train).map((n, label) => n + (histogram(fashion.test)[label] ?? 0));
    expect(total).toEqual(new Array<number>(10).fill(7000));
  });

  it('splits 6,000 / 1,000 per class, like the official 60,000 / 10,000', () => {
    expect(histogram(fashion.train)).toEqual(new Array<number>(10).fill(6000));
    expect(histogram(fashion.test)).toEqual(new Array<number>(10).fill(1000));
  });

  it('mixes the classes instead of grouping them', () => {
    expect(new Set(fashion.train.labels.subarray(0, 50)).size).toBeGreaterThan(5);
    expect(new Set(fashion.test.labels.subarray(0, 50)).size).toBeGreaterThan(5);
  });

  it('scales pixels to [0, 1] with both ends reached', () => {
    let min = Infinity;
    let max = -Infinity;
    const { images } = fashion.train;
    for (let i = 0; i < images.length; i++) {
      const v = images[i] as number;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect([min, max]).toEqual([0, 1]);
  });

  it('contains the official first training image (an ankle boot; its row 3 as in the official train-images-idx3-ubyte)', () => {
    const row = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 13, 73, 0, 0, 1, 4, 0, 0, 0, 0, 1, 1, 0].map((b) => Math.fround(b / 255));
    const matches: number[] = [];
    for (const set of [fashion.train, fashion.test]) {
      for (let i = 0; i < set.count; i++) {
        const start = i * 784 + 3 * 28;
        if (row.every((v, x) => set.images[start + x] === v)) matches.push(set.labels[i] as number);
      }
    }
    expect(matches).toEqual([9]);
  });
});
