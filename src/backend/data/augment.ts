import type { Rng } from '../../core/rng.js';
import { imageSize, type ImageShape } from './types.js';

/**
 * Augmentation of a batch: random crop after zero padding of `pad` pixels, horizontal flip with
 * probability 0.5, and cutout of a `cutout`-pixel square (DeVries & Taylor 2017). 0 / false disable.
 */
export type AugmentOptions = { readonly pad?: number; readonly flip?: boolean; readonly cutout?: number };

/**
 * Augments the first `count` images of an NHWC batch in place, each with its own draws from `rng` in
 * a fixed order (crop offsets, flip, cutout centre), so the same seed gives the same batch.
 * NOTE(deviation): apply it after {@link normalizeBatch}, so padding and cutout fill with 0, the
 * channel mean (DeVries & Taylor's cutout does the same; torchvision pads before normalising, black).
 */
export function augmentBatch(images: Float32Array, count: number, shape: ImageShape, options: AugmentOptions, rng: Rng): void {
  const { pad = 0, flip = false, cutout = 0 } = options;
  checkNonNegativeInteger('pad', pad);
  checkNonNegativeInteger('cutout', cutout);
  const [h, w] = shape;
  const scratch = new Float32Array(pad > 0 ? imageSize(shape) : 0);
  for (let i = 0; i < count; i++) {
    if (pad > 0) cropAt(images, i, shape, pad, rng.int(2 * pad + 1), rng.int(2 * pad + 1), scratch);
    if (flip && rng.next() < 0.5) flipAt(images, i, shape);
    if (cutout > 0) cutoutAt(images, i, shape, rng.int(h), rng.int(w), cutout);
  }
}

/**
 * Image `index` becomes the H×W window at offset (dy, dx), each in 0..2·pad, of itself padded with
 * `pad` zeros on every side; (pad, pad) is the identity. `scratch` holds at least one image.
 */
export function cropAt(images: Float32Array, index: number, shape: ImageShape, pad: number, dy: number, dx: number, scratch: Float32Array): void {
  const [h, w, c] = shape;
  const size = h * w * c;
  const base = index * size;
  scratch.set(images.subarray(base, base + size));
  images.fill(0, base, base + size);
  const shiftY = dy - pad;
  const shiftX = dx - pad;
  const x0 = Math.max(0, -shiftX);
  const x1 = Math.min(w, w - shiftX);
  if (x1 <= x0) return;
  for (let y = Math.max(0, -shiftY); y < Math.min(h, h - shiftY); y++) {
    const from = ((y + shiftY) * w + x0 + shiftX) * c;
    images.set(scratch.subarray(from, from + (x1 - x0) * c), base + (y * w + x0) * c);
  }
}

/** Mirrors image `index` left to right, in place. */
export function flipAt(images: Float32Array, index: number, shape: ImageShape): void {
  const [h, w, c] = shape;
  const base = index * h * w * c;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w >> 1; x++) {
      const left = base + (y * w + x) * c;
      const right = base + (y * w + (w - 1 - x)) * c;
      for (let ch = 0; ch < c; ch++) {
        const tmp = images[left + ch] as number;
        images[left + ch] = images[right + ch] as number;
        images[right + ch] = tmp;
      }
    }
  }
}

/**
 * Zeroes, in every channel of image `index`, the `size`×`size` square whose rows start at
 * cy − ⌊size/2⌋ (columns likewise), clipped at the borders.
 * NOTE(deviation): DeVries & Taylor's code spans cy ± ⌊size/2⌋, one pixel short for odd sizes; here
 * the square is always `size` wide.
 */
export function cutoutAt(images: Float32Array, index: number, shape: ImageShape, cy: number, cx: number, size: number): void {
  const [h, w, c] = shape;
  const base = index * h * w * c;
  const y0 = Math.max(0, cy - (size >> 1));
  const y1 = Math.min(h, cy - (size >> 1) + size);
  const x0 = Math.max(0, cx - (size >> 1));
  const x1 = Math.min(w, cx - (size >> 1) + size);
  for (let y = y0; y < y1; y++) {
    if (x1 > x0) images.fill(0, base + (y * w + x0) * c, base + (y * w + x1) * c);
  }
}

function checkNonNegativeInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`augmentBatch: ${name} must be a non-negative integer, got ${value}`);
}
