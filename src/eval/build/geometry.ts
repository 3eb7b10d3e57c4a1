import type { WindowAttrs } from '../../space/ops/window.js';

/** Padding of the two spatial axes as [[top, bottom], [left, right]]. */
export type Sides = readonly [readonly [number, number], readonly [number, number]];

/** TensorFlow's 'same' padding for one axis: total = max((ceil(n/s) − 1)·s + d·(k−1) + 1 − n, 0), odd extra at the end. */
export function sameSides(size: number, kernel: number, stride: number, dilation: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + dilation * (kernel - 1) + 1 - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** The explicit padding a window op applies to an [H, W] input (what 'same' means there, per TensorFlow). */
export function explicitPadding(h: number, w: number, a: WindowAttrs): Sides {
  if (a.pad !== 'same') return a.pad;
  return [sameSides(h, a.kernel[0], a.stride[0], a.dilation[0]), sameSides(w, a.kernel[1], a.stride[1], a.dilation[1])];
}

/** Whether any side is padded. */
export function hasPadding(sides: Sides): boolean {
  return sides[0][0] + sides[0][1] + sides[1][0] + sides[1][1] > 0;
}
