import { describe, expect, it } from 'vitest';
import { gather } from '../../../src/backend/data/batch.js';
import { createImageSet } from '../../../src/backend/data/types.js';

const set = createImageSet(5, [1, 2, 1]);
set.images.set([0, 1, 10, 11, 20, 21, 30, 31, 40, 41]);
set.labels.set([0, 1, 2, 3, 4]);

describe('gather', () => {
  it('copies the chosen images and labels in index order', () => {
    const images = new Float32Array(6).fill(-1);
    const labels = new Int32Array(3).fill(-1);
    const n = gather(set, Uint32Array.from([4, 0, 2, 1]), 0, 3, images, labels);
    expect(n).toBe(3);
    expect(Array.from(images)).toEqual([40, 41, 0, 1, 20, 21]);
    expect(Array.from(labels)).toEqual([4, 0, 2]);
  });

  it('stops at the end of the indices and leaves the rest of the buffer alone', () => {
    const images = new Float32Array(6).fill(-1);
    const n = gather(set, Uint32Array.from([4, 0, 2, 1]), 3, 3, images);
    expect(n).toBe(1);
    expect(Array.from(images)).toEqual([10, 11, -1, -1, -1, -1]);
  });

  it('returns 0 past the end', () => {
    expect(gather(set, Uint32Array.from([1]), 5, 2, new Float32Array(4))).toBe(0);
  });

  it('rejects a buffer too small and an index outside the set', () => {
    expect(() => gather(set, Uint32Array.from([0, 1]), 0, 2, new Float32Array(3))).toThrow('images buffer holds 3 values, needs 2 × 2 = 4');
    expect(() => gather(set, Uint32Array.from([0, 1]), 0, 2, new Float32Array(4), new Uint8Array(1))).toThrow('labels buffer holds 1 values, needs 2');
    expect(() => gather(set, Uint32Array.from([5]), 0, 1, new Float32Array(2))).toThrow('index 5 at position 0 is outside the set (5 images)');
  });
});
