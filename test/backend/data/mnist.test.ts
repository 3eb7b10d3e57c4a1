import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnist } from '../../../src/backend/data/mnist.js';
import type { Dataset, ImageSet } from '../../../src/backend/data/types.js';

let mnist: Dataset;
beforeAll(async () => {
  mnist = await loadMnist();
});

function histogram(set: ImageSet): number[] {
  const counts = new Array<number>(10).fill(0);
  for (const label of set.labels) counts[label] = (counts[label] ?? 0) + 1;
  return counts;
}

function pixel(set: ImageSet, index: number, y: number, x: number): number | undefined {
  return set.images[index * 784 + y * 28 + x];
}

describe('loadMnist', () => {
  it('loads 60,000 training and 10,000 test images of 28×28×1', () => {
    expect(mnist.train.count).toBe(60_000);
    expect(mnist.test.count).toBe(10_000);
    expect(mnist.train.shape).toEqual([28, 28, 1]);
    expect(mnist.train.images.length).toBe(60_000 * 784);
    expect(mnist.test.images.length).toBe(10_000 * 784);
    expect(mnist.numClasses).toBe(10);
  });

  it('has the known first labels of both files', () => {
    expect(Array.from(mnist.train.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
    expect(Array.from(mnist.test.labels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
  });

  it('has the known number of images per digit', () => {
    expect(histogram(mnist.train)).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(histogram(mnist.test)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });

  it('scales pixels to [0, 1] with both ends reached', () => {
    for (const set of [mnist.train, mnist.test]) {
      let min = Infinity;
      let max = -Infinity;
      for (const v of set.images) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      expect([min, max]).toEqual([0, 1]);
    }
  });

  it('places raw bytes at the right pixels (train image 0, row 5: bytes 0x03, 0x7e, 0xff at file offsets 0xa8, 0xac, 0xb1)', () => {
    expect(pixel(mnist.train, 0, 5, 11)).toBe(0);
    expect(pixel(mnist.train, 0, 5, 12)).toBe(Math.fround(3 / 255));
    expect(pixel(mnist.train, 0, 5, 16)).toBe(Math.fround(126 / 255));
    expect(pixel(mnist.train, 0, 5, 21)).toBe(1);
  });

  it('allocates images and labels on shared memory', () => {
    expect(mnist.train.images.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(mnist.test.labels.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});
