import type { Tensor1D, Tensor4D } from '@tensorflow/tfjs-node';
import type { ImageSet, ImageShape } from '../../core/data.js';
import type { Rng } from '../../core/rng.js';
import { loadTf } from '../../backend/tf.js';

/**
 * Some images of a set, by index: the big arrays stay shared and uncopied. Same shape as
 * `IndexedSet` of src/backend/data (`splitTrainValidation` gives two of them).
 */
export type IndexedImages = { readonly set: ImageSet; readonly indices: Uint32Array };

/**
 * Changes the first `count` images of a gathered NHWC batch in place (normalisation, augmentation),
 * drawing any randomness from `rng` (seeded per epoch by the trainer).
 */
export type BatchTransform = (images: Float32Array, count: number, shape: ImageShape, rng: Rng) => void;

/** The data of a run: a training part, optional validation and test parts, and the batch transforms. */
export type TrainData = {
  readonly train: IndexedImages;
  readonly validation?: IndexedImages;
  readonly test?: IndexedImages;
  /** `train`: normalisation and augmentation of training batches; `eval`: normalisation of evaluation batches. */
  readonly transform?: { readonly train?: BatchTransform; readonly eval?: BatchTransform };
};

/** One batch as tensors; the caller disposes both. */
export type BatchTensors = { readonly x: Tensor4D; readonly labels: Tensor1D; readonly count: number };

/** Reused host buffers of one batch: images are gathered into them, then copied into tensors. */
export class BatchBuffer {
  private readonly images: Float32Array;
  private readonly labels: Int32Array;
  private readonly size: number;

  constructor(
    readonly shape: ImageShape,
    readonly capacity: number,
  ) {
    this.size = shape[0] * shape[1] * shape[2];
    this.images = new Float32Array(capacity * this.size);
    this.labels = new Int32Array(capacity);
  }

  /**
   * Gathers the images at `order[start … start + capacity)` of `set`, applies `transform`, and
   * returns them as tensors (images [n, H, W, C] float32, labels [n] int32).
   */
  next(set: ImageSet, order: Uint32Array, start: number, transform?: BatchTransform, rng?: Rng): BatchTensors {
    const count = Math.max(0, Math.min(this.capacity, order.length - start));
    for (let i = 0; i < count; i++) {
      const from = order[start + i] as number;
      this.images.set(set.images.subarray(from * this.size, (from + 1) * this.size), i * this.size);
      this.labels[i] = set.labels[from] as number;
    }
    if (transform !== undefined && rng !== undefined) transform(this.images, count, this.shape, rng);
    const tf = loadTf();
    const [h, w, c] = this.shape;
    // tfjs-node keeps a reference to these views and copies them into TensorFlow when an op first
    // reads the tensor; every caller uses both tensors before it asks for the next batch.
    const x = tf.tensor4d(this.images.subarray(0, count * this.size), [count, h, w, c]);
    const labels = tf.tensor1d(this.labels.subarray(0, count), 'int32');
    return { x, labels, count };
  }
}

/**
 * The first ⌈fraction · n⌉ (at least one) of a seeded permutation of `indices`: the training subset
 * of a fidelity. Nested: with one rng seed, a smaller fraction is a prefix of a larger one.
 */
export function subsetOf(indices: Uint32Array, fraction: number, rng: Rng): Uint32Array {
  if (fraction >= 1) return indices;
  // The 1e-9 absorbs rounding: 0.55 · 100 is 55.000000000000007 in float64, and must keep 55.
  const keep = Math.max(1, Math.ceil(fraction * indices.length - 1e-9));
  const order = rng.permutation(indices.length).subarray(0, keep);
  return order.map((i) => indices[i] as number);
}

/** The order of one epoch: `indices` shuffled by `rng` (a new array). */
export function epochOrder(indices: Uint32Array, rng: Rng): Uint32Array {
  return rng.permutation(indices.length).map((i) => indices[i] as number);
}

/** Problems of a part given to the trainer (shape, empty, out-of-range index or label), as messages. */
export function checkPart(
  name: string,
  part: IndexedImages,
  shape: readonly (number | null)[],
  classes: number,
): string[] {
  const problems: string[] = [];
  const { set, indices } = part;
  if (set.shape.join() !== shape.join())
    problems.push(`${name}: images are [${set.shape.join(', ')}], the model takes [${shape.join(', ')}]`);
  if (indices.length === 0) problems.push(`${name}: no images`);
  for (const i of indices) {
    if (i >= set.count) {
      problems.push(`${name}: index ${i} is outside the set (${set.count} images)`);
      break;
    }
    if ((set.labels[i] as number) >= classes) {
      problems.push(`${name}: label ${set.labels[i]} of image ${i} is not below the model's ${classes} classes`);
      break;
    }
  }
  return problems;
}
