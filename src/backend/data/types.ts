import { DatasetError } from '../../core/errors.js';
import type { ImageSet, ImageShape } from '../../core/data.js';

export type { Dataset, ImageSet, ImageShape } from '../../core/data.js';

/** Number of values in one image. */
export function imageSize(shape: ImageShape): number {
  return shape[0] * shape[1] * shape[2];
}

/** A zero-filled image set of `count` images on shared memory. */
export function createImageSet(count: number, shape: ImageShape): ImageSet {
  const size = imageSize(shape);
  const images = new Float32Array(new SharedArrayBuffer(count * size * Float32Array.BYTES_PER_ELEMENT));
  const labels = new Uint8Array(new SharedArrayBuffer(count));
  return { images, labels, count, shape };
}

/** A Uint32Array on shared memory holding a copy of `values`. */
export function sharedIndices(values: ArrayLike<number>): Uint32Array {
  const out = new Uint32Array(new SharedArrayBuffer(values.length * Uint32Array.BYTES_PER_ELEMENT));
  out.set(values);
  return out;
}

/** Writes bytes (0..255) into `out` from `offset` as floats in [0, 1]. */
export function bytesToUnit(bytes: Uint8Array, out: Float32Array, offset = 0): void {
  for (let i = 0; i < bytes.length; i++) out[offset + i] = (bytes[i] as number) / 255;
}

/** Throws unless every label is a class index below `numClasses`; `source` names where they came from. */
export function checkLabels(labels: Uint8Array, numClasses: number, source: string): void {
  const bad = labels.findIndex((label) => label >= numClasses);
  if (bad >= 0) {
    throw new DatasetError(`${source}: label ${labels[bad]} at index ${bad} is not a class index (expected 0..${numClasses - 1})`);
  }
}
