import type { Tensor, Tensor4D } from '@tensorflow/tfjs-node';
import { loadTf } from '../../backend/tf.js';
import { hasPadding, type Sides } from './geometry.js';

type Pair = readonly [number, number];

/** Pads the spatial axes of an NHWC tensor with a constant (0, or −∞ for max pooling). */
export function padSpatial(x: Tensor4D, sides: Sides, value = 0): Tensor4D {
  if (!hasPadding(sides)) return x;
  const tf = loadTf();
  return tf.pad(
    x,
    [
      [0, 0],
      [sides[0][0], sides[0][1]],
      [sides[1][0], sides[1][1]],
      [0, 0],
    ],
    value,
  );
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
  const phases = tf.spaceToBatchND(
    x,
    [dilation[0], dilation[1]],
    [
      [0, extraH],
      [0, extraW],
    ],
  );
  const y = fn(phases as Tensor4D);
  const [, hy, wy] = y.shape;
  // An undilated axis may be strided (dilation on the other axis): fn's output along it is final.
  const keepH = dilation[0] === 1 ? hy : h - dilation[0] * (kernel[0] - 1);
  const keepW = dilation[1] === 1 ? wy : w - dilation[1] * (kernel[1] - 1);
  const cropH = hy * dilation[0] - keepH;
  const cropW = wy * dilation[1] - keepW;
  return tf.batchToSpaceND(
    y,
    [dilation[0], dilation[1]],
    [
      [0, cropH],
      [0, cropW],
    ],
  ) as Tensor4D;
}

/**
 * The maximum over `axes` whose gradient is shared evenly among tied maxima (TensorFlow's rule for
 * reduce_max, and the compiled path's). tfjs's own max gives every tied element the whole gradient,
 * k times too much for k ties: a max pool of stride 1 repeats one element in several windows, and a
 * global max after it (CBAM) then counted its gradient once per window.
 */
export function maxSharingTies(x: Tensor, axes: readonly number[], keepDims: boolean): Tensor {
  const tf = loadTf();
  const op = tf.customGrad((...args: unknown[]) => {
    const [input, save] = args as [Tensor, (t: Tensor[]) => void];
    const value = tf.max(input, [...axes], keepDims);
    save([input, value]);
    return {
      value,
      gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
        const [inp, y] = saved as [Tensor, Tensor];
        const kept = input.shape.map((d, i) => (axes.includes(i) ? 1 : d));
        const hits = tf.cast(tf.equal(inp, tf.reshape(y, kept)), 'float32');
        return tf.mul(tf.div(hits, tf.sum(hits, [...axes], true)), tf.reshape(dy as Tensor, kept));
      },
    };
  });
  return op(x) as Tensor;
}
