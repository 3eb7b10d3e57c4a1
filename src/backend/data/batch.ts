import { imageSize, type ImageSet } from './types.js';

/**
 * Copies the images `indices[batchStart … batchStart + batchSize)` of `set` into `images` (NHWC) and,
 * if given, their labels into `labels`; stops early at the end of `indices`. Returns the number copied.
 */
export function gather(
  set: ImageSet,
  indices: Uint32Array,
  batchStart: number,
  batchSize: number,
  images: Float32Array,
  labels?: Uint8Array | Int32Array | Float32Array,
): number {
  const size = imageSize(set.shape);
  const count = Math.max(0, Math.min(batchSize, indices.length - batchStart));
  if (images.length < count * size) {
    throw new RangeError(`gather: images buffer holds ${images.length} values, needs ${count} × ${size} = ${count * size}`);
  }
  if (labels !== undefined && labels.length < count) {
    throw new RangeError(`gather: labels buffer holds ${labels.length} values, needs ${count}`);
  }
  for (let i = 0; i < count; i++) {
    const source = indices[batchStart + i] as number;
    if (source >= set.count) throw new RangeError(`gather: index ${source} at position ${batchStart + i} is outside the set (${set.count} images)`);
    images.set(set.images.subarray(source * size, (source + 1) * size), i * size);
    if (labels !== undefined) labels[i] = set.labels[source] as number;
  }
  return count;
}
