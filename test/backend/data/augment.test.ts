import { describe, expect, it } from 'vitest';
import { augmentBatch, cropAt, cutoutAt, flipAt } from '../../../src/backend/data/augment.js';
import type { ImageShape } from '../../../src/backend/data/types.js';
import { Rng } from '../../../src/core/rng.js';

const ones = (n: number) => new Float32Array(n).fill(1);
const sequence = (n: number, from = 1) => Float32Array.from({ length: n }, (_, i) => i + from);

function zeroBox(image: Float32Array, shape: ImageShape): { count: number; rows: number[]; cols: number[] } {
  const [, w, c] = shape;
  const rows = new Set<number>();
  const cols = new Set<number>();
  let count = 0;
  image.forEach((v, i) => {
    if (v !== 0) return;
    count++;
    rows.add(Math.floor(i / c / w));
    cols.add(Math.floor(i / c) % w);
  });
  return { count, rows: [...rows].sort((a, b) => a - b), cols: [...cols].sort((a, b) => a - b) };
}

describe('flipAt', () => {
  it('mirrors a 2×3 grey image', () => {
    const images = Float32Array.from([1, 2, 3, 4, 5, 6]);
    flipAt(images, 0, [2, 3, 1]);
    expect(Array.from(images)).toEqual([3, 2, 1, 6, 5, 4]);
  });

  it('moves whole pixels of a 1×3×2 image, keeping channel order, and only the indexed image', () => {
    const images = Float32Array.from([9, 9, 9, 9, 9, 9, 1, 2, 3, 4, 5, 6]);
    flipAt(images, 1, [1, 3, 2]);
    expect(Array.from(images)).toEqual([9, 9, 9, 9, 9, 9, 5, 6, 3, 4, 1, 2]);
  });
});

describe('cropAt', () => {
  const shape: ImageShape = [3, 3, 1];
  const scratch = new Float32Array(9);

  it('is the identity at offset (pad, pad)', () => {
    const images = sequence(9);
    cropAt(images, 0, shape, 2, 2, 2, scratch);
    expect(images).toEqual(sequence(9));
  });

  it('shifts down-right at offset (0, 0), filling with zeros', () => {
    const images = sequence(9);
    cropAt(images, 0, shape, 1, 0, 0, scratch);
    expect(Array.from(images)).toEqual([0, 0, 0, 0, 1, 2, 0, 4, 5]);
  });

  it('shifts up at offset (2, 1) with pad 1', () => {
    const images = sequence(9);
    cropAt(images, 0, shape, 1, 2, 1, scratch);
    expect(Array.from(images)).toEqual([4, 5, 6, 7, 8, 9, 0, 0, 0]);
  });

  it('moves whole pixels of a colour image', () => {
    const images = Float32Array.from([1, 2, 3, 4]);
    cropAt(images, 0, [1, 2, 2], 1, 1, 2, new Float32Array(4));
    expect(Array.from(images)).toEqual([3, 4, 0, 0]);
  });

  it('gives an all-zero image when the pad exceeds the image', () => {
    const images = sequence(9);
    cropAt(images, 0, shape, 4, 0, 8, scratch);
    expect(Array.from(images)).toEqual(new Array<number>(9).fill(0));
  });
});

describe('cutoutAt', () => {
  const shape: ImageShape = [8, 8, 2];

  it('zeroes exactly size × size pixels in every channel for a centre well inside', () => {
    const images = ones(128);
    cutoutAt(images, 0, shape, 4, 4, 4);
    expect(zeroBox(images, shape)).toEqual({ count: 32, rows: [2, 3, 4, 5], cols: [2, 3, 4, 5] });
  });

  it('keeps an odd size exact', () => {
    const images = ones(128);
    cutoutAt(images, 0, shape, 4, 4, 3);
    expect(zeroBox(images, shape)).toEqual({ count: 18, rows: [3, 4, 5], cols: [3, 4, 5] });
  });

  it('clips at the borders', () => {
    const images = ones(128);
    cutoutAt(images, 0, shape, 0, 7, 4);
    expect(zeroBox(images, shape)).toEqual({ count: 2 * 3 * 2, rows: [0, 1], cols: [5, 6, 7] });
  });
});

describe('augmentBatch', () => {
  const shape: ImageShape = [6, 6, 2];
  const size = 72;
  const batchOf = (n: number) => Float32Array.from({ length: n * size }, (_, i) => (i % size) + 1);

  it('with pad 0, no flip and no cutout is the identity', () => {
    const images = batchOf(4);
    augmentBatch(images, 4, shape, { pad: 0, flip: false, cutout: 0 }, new Rng(1));
    expect(images).toEqual(batchOf(4));
  });

  it('crops every image to one of the (2·pad + 1)² shifted windows, not always the same', () => {
    const images = batchOf(20);
    augmentBatch(images, 20, shape, { pad: 2 }, new Rng(2));
    const offsets = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const got = images.subarray(i * size, (i + 1) * size);
      const found: string[] = [];
      for (let dy = 0; dy <= 4; dy++) {
        for (let dx = 0; dx <= 4; dx++) {
          const expected = batchOf(1);
          cropAt(expected, 0, shape, 2, dy, dx, new Float32Array(size));
          if (expected.every((v, p) => v === got[p])) found.push(`${dy},${dx}`);
        }
      }
      expect(found).toHaveLength(1);
      offsets.add(found[0] as string);
    }
    expect(offsets.size).toBeGreaterThan(5);
  });

  it('flips about half the images and leaves the others untouched', () => {
    const images = batchOf(200);
    augmentBatch(images, 200, shape, { flip: true }, new Rng(3));
    const flipped = batchOf(1);
    flipAt(flipped, 0, shape);
    let count = 0;
    for (let i = 0; i < 200; i++) {
      const got = images.subarray(i * size, (i + 1) * size);
      const isFlipped = flipped.every((v, p) => v === got[p]);
      if (isFlipped) count++;
      else expect(got).toEqual(batchOf(1));
    }
    expect(count).toBeGreaterThan(70);
    expect(count).toBeLessThan(130);
  });

  it('cuts out one square per image: size × size inside, clipped at the borders', () => {
    const big: ImageShape = [12, 12, 1];
    const images = ones(50 * 144);
    augmentBatch(images, 50, big, { cutout: 4 }, new Rng(4));
    let inside = 0;
    for (let i = 0; i < 50; i++) {
      const box = zeroBox(images.subarray(i * 144, (i + 1) * 144), big);
      expect(box.count).toBe(box.rows.length * box.cols.length);
      const touches = (xs: number[]) => xs[0] === 0 || xs[xs.length - 1] === 11;
      if (!touches(box.rows)) expect(box.rows).toHaveLength(4);
      if (!touches(box.cols)) expect(box.cols).toHaveLength(4);
      if (box.count === 16) inside++;
    }
    expect(inside).toBeGreaterThan(20);
  });

  it('is reproducible from the generator and changes with it', () => {
    const options = { pad: 1, flip: true, cutout: 2 };
    const [a, b, c] = [batchOf(8), batchOf(8), batchOf(8)];
    augmentBatch(a, 8, shape, options, new Rng(5));
    augmentBatch(b, 8, shape, options, new Rng(5));
    augmentBatch(c, 8, shape, options, new Rng(6));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('rejects a negative or fractional pad or cutout', () => {
    expect(() => augmentBatch(batchOf(1), 1, shape, { pad: -1 }, new Rng(1))).toThrow('pad must be a non-negative integer, got -1');
    expect(() => augmentBatch(batchOf(1), 1, shape, { cutout: 1.5 }, new Rng(1))).toThrow('cutout must be a non-negative integer, got 1.5');
  });
});
