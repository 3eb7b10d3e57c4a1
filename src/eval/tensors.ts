import type { Tensor2D, Tensor4D } from '@tensorflow/tfjs-node';
import type { ImageSet } from '../core/data.js';
import { loadTf } from '../backend/tf.js';

/** Images (NHWC) and one-hot labels of the chosen examples, in the order of `indices`. */
export function toTensors(
  set: ImageSet,
  numClasses: number,
  indices?: ArrayLike<number>,
): { x: Tensor4D; y: Tensor2D } {
  const tf = loadTf();
  const [h, w, c] = set.shape;
  const size = h * w * c;
  const order = indices ?? Uint32Array.from({ length: set.count }, (_, i) => i);
  const images = new Float32Array(order.length * size);
  const labels = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) {
    const from = order[i] as number;
    images.set(set.images.subarray(from * size, (from + 1) * size), i * size);
    labels[i] = set.labels[from] as number;
  }
  const x = tf.tensor4d(images, [order.length, h, w, c]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), numClasses).toFloat() as Tensor2D);
  return { x, y };
}
