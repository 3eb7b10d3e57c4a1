import type { Padding, Pair } from '../../core/arch.js';
import { explicitSides } from './attrs.js';
import { ShapeError } from './types.js';

/** A pair attribute as [height, width]. */
export function pairOf(value: Pair | undefined, fallback: number | readonly [number, number]): [number, number] {
  const v = value ?? fallback;
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}

/** Padding as 'same' or explicit [[top, bottom], [left, right]] ('valid' is all zeros). */
export function paddingOf(value: Padding | undefined): 'same' | [[number, number], [number, number]] {
  if (value === undefined || value === 'valid')
    return [
      [0, 0],
      [0, 0],
    ];
  if (value === 'same') return 'same';
  return explicitSides(value);
}

/** A sliding window along one axis. */
export interface Axis {
  readonly name: 'height' | 'width';
  readonly size: number;
  readonly kernel: number;
  readonly stride: number;
  readonly dilation: number;
  readonly pad: 'same' | readonly [number, number];
}

/**
 * Output length of a window along one axis: ceil(in / s) for 'same' (TensorFlow), else
 * floor((in + before + after − d·(k−1) − 1) / s) + 1. A kernel larger than the padded input fails.
 */
export function windowLength(a: Axis): number {
  if (a.pad === 'same') return Math.ceil(a.size / a.stride);
  const effective = a.dilation * (a.kernel - 1) + 1;
  const padTotal = a.pad[0] + a.pad[1];
  const padded = a.size + padTotal;
  if (effective > padded) {
    const dilated = a.dilation > 1 ? ` (${effective} with dilation ${a.dilation})` : '';
    const how =
      padTotal > 0 ? `padded input ${a.name} ${padded} (${a.size} + ${padTotal} padding)` : `input ${a.name} ${a.size}`;
    throw new ShapeError(`kernel ${a.name} ${a.kernel}${dilated} is larger than the ${how}`, 'kernel');
  }
  return Math.floor((padded - effective) / a.stride) + 1;
}

/** The attributes of a window op, resolved. */
export interface WindowAttrs {
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly pad: 'same' | [[number, number], [number, number]];
}

/** Output [H, W] of a window op on an [H, W] input. */
export function windowHW(h: number, w: number, a: WindowAttrs): [number, number] {
  const pad = (i: 0 | 1): 'same' | readonly [number, number] => (a.pad === 'same' ? 'same' : a.pad[i]);
  return [
    windowLength({
      name: 'height',
      size: h,
      kernel: a.kernel[0],
      stride: a.stride[0],
      dilation: a.dilation[0],
      pad: pad(0),
    }),
    windowLength({
      name: 'width',
      size: w,
      kernel: a.kernel[1],
      stride: a.stride[1],
      dilation: a.dilation[1],
      pad: pad(1),
    }),
  ];
}

/** Resolves kernel / stride / dilation / padding; `strideDefault` is 1 for convs, the kernel for pools. */
export function windowAttrs(
  node: { readonly kernel: Pair; readonly stride?: Pair; readonly padding?: Padding; readonly dilation?: Pair },
  strideDefault: 'one' | 'kernel',
): WindowAttrs {
  const kernel = pairOf(node.kernel, 1);
  const stride = pairOf(node.stride, strideDefault === 'one' ? 1 : kernel);
  const dilation = pairOf(node.dilation, 1);
  return { kernel, stride, dilation, pad: paddingOf(node.padding) };
}
