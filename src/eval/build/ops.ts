import type { Tensor4D } from '@tensorflow/tfjs-node';
import { loadTf } from '../../backend/tf.js';
import { hasPadding, type Sides } from './geometry.js';

type Pair = readonly [number, number];

/** Pads the spatial axes of an NHWC tensor with a constant (0, or −∞ for max pooling). */
export function padSpatial(x: Tensor4D, sides: Sides, value = 0): Tensor4D {
  if (!hasPadding(sides)) return x;
  const tf = loadTf();
  return tf.pad(x, [[0, 0], [sides[0][0], sides[0][1]], [sides[1][0], sides[1][1]], [0, 0]], value);
}

/**
 * Applies a 'valid', stride-1 window function with dilation d the way TensorFlow computes atrous
 * convolution: spaceToBatchND (d×d phases) → the function with dilation 1 → batchToSpaceND.
 * tfjs has no gradient for dilated convolutions; these three ops all have one.
 */
export function dilated(x: Tensor4D, dilation: Pair, kernel: Pair, fn: (x: Tensor4D) => Tensor4D): Tensor4D {
  if (dilation[0] === 1 && dilation[1] === 1) return fn(x);
  const tf = loadTf();
  const [, h, w] = x.shape;
  const extraH = (dilation[0] - (h % dilation[0])) % dilation[0];
  const extraW = (dilation[1] - (w % dilation[1])) % dilation[1];
  const phases = tf.spaceToBatchND(x, [dilation[0], dilation[1]], [[0, extraH], [0, extraW]]);
  const y = fn(phases as Tensor4D);
  const [, hy, wy] = y.shape;
  // An undilated axis may be strided (dilation on the other axis): fn's output along it is final.
  const keepH = dilation[0] === 1 ? hy : h - dilation[0] * (kernel[0] - 1);
  const keepW = dilation[1] === 1 ? wy : w - dilation[1] * (kernel[1] - 1);
  const cropH = hy * dilation[0] - keepH;
  const cropW = wy * dilation[1] - keepW;
  return tf.batchToSpaceND(y, [dilation[0], dilation[1]], [[0, cropH], [0, cropW]]) as Tensor4D;
}
