/**
 * The neural-network ops of the compiled graph (convolution, pooling, BatchNorm, dense, resize), NHWC,
 * with their static output shapes. Each takes padding as explicit sides, the way the builder's
 * layers see it (src/eval/build/geometry.ts), so 'same' and PyTorch-style padding compile alike.
 */
import { hasPadding, sameSides } from '../build/geometry.js';
import { windowOut, type Emit, type Pair2, type Sides } from './emit.js';
import type { Attr, Sym } from './graph.js';

const f32: Attr = { type: 'float32' };

/**
 * How a window op pads: TensorFlow's SAME when the sides are exactly what SAME pads, else VALID after
 * an explicit Pad. (Conv2D's EXPLICIT padding runs on a slow generic kernel; SAME, VALID and a Pad
 * before VALID all take oneDNN's path, measured 2.4× faster on a whole NB201 step.)
 */
export function windowPadding(
  x: Sym,
  kernel: Pair2,
  stride: Pair2,
  dilation: Pair2,
  sides: Sides,
): 'SAME' | 'VALID' | 'PAD' {
  if (!hasPadding(sides)) return 'VALID';
  const [h, w] = [x.shape[1] as number, x.shape[2] as number];
  const same = [sameSides(h, kernel[0], stride[0], dilation[0]), sameSides(w, kernel[1], stride[1], dilation[1])];
  return same.every((s, i) => s[0] === sides[i]?.[0] && s[1] === sides[i]?.[1]) ? 'SAME' : 'PAD';
}

/** Window attributes of a convolution op. */
export function convAttrs(stride: Pair2, dilation: Pair2, padding: 'SAME' | 'VALID'): Record<string, Attr> {
  return {
    T: f32,
    strides: { ints: [1, stride[0], stride[1], 1] },
    dilations: { ints: [1, dilation[0], dilation[1], 1] },
    padding: { s: padding },
    explicit_paddings: { ints: [] },
    data_format: { s: 'NHWC' },
  };
}

function convShape(x: Sym, kernel: Pair2, stride: Pair2, dilation: Pair2, sides: Sides, channels: number): number[] {
  const [n, h, w] = x.shape as [number, number, number];
  return [
    n,
    windowOut(h, kernel[0], stride[0], dilation[0], ...sides[0]),
    windowOut(w, kernel[1], stride[1], dilation[1], ...sides[1]),
    channels,
  ];
}

/** A convolution op of x by `kernel` with explicit sides, as SAME, VALID, or Pad then VALID. */
function convolve(
  e: Emit,
  op: string,
  x: Sym,
  kernel: Sym,
  stride: Pair2,
  dilation: Pair2,
  sides: Sides,
  channels: number,
  extra: Record<string, Attr> = {},
): Sym {
  const k: Pair2 = [kernel.shape[0] as number, kernel.shape[1] as number];
  const padding = windowPadding(x, k, stride, dilation, sides);
  const input = padding === 'PAD' ? e.padSpatial(x, sides) : x;
  const attrs = { ...convAttrs(stride, dilation, padding === 'SAME' ? 'SAME' : 'VALID'), ...extra };
  return e.g.op(op, [input, kernel], attrs, convShape(x, k, stride, dilation, sides, channels));
}

/** Conv2D of x by an HWIO kernel. */
export function conv2d(e: Emit, x: Sym, kernel: Sym, stride: Pair2, dilation: Pair2, sides: Sides): Sym {
  return convolve(e, 'Conv2D', x, kernel, stride, dilation, sides, kernel.shape[3] as number, {
    use_cudnn_on_gpu: { b: true },
  });
}

/** DepthwiseConv2dNative of x by a [kh, kw, C, multiplier] kernel; dilation 1 (oneDNN has no dilated depthwise gradients). */
export function depthwise(e: Emit, x: Sym, kernel: Sym, stride: Pair2, sides: Sides): Sym {
  return convolve(
    e,
    'DepthwiseConv2dNative',
    x,
    kernel,
    stride,
    [1, 1],
    sides,
    (kernel.shape[2] as number) * (kernel.shape[3] as number),
  );
}

export function biasAdd(e: Emit, x: Sym, bias: Sym): Sym {
  return e.g.op('BiasAdd', [x, bias], { T: f32, data_format: { s: 'NHWC' } }, x.shape);
}

export function matMul(e: Emit, a: Sym, b: Sym, transposeA = false, transposeB = false): Sym {
  const rows = transposeA ? a.shape[1] : a.shape[0];
  const cols = transposeB ? b.shape[0] : b.shape[1];
  return e.g.op('MatMul', [a, b], { T: f32, transpose_a: { b: transposeA }, transpose_b: { b: transposeB } }, [
    rows as number,
    cols as number,
  ]);
}

/** MaxPool / AvgPool with VALID or SAME padding (explicit padding is a PadV2 before). */
export function pool(e: Emit, fn: 'max' | 'avg', x: Sym, kernel: Pair2, stride: Pair2, padding: 'SAME' | 'VALID'): Sym {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const out =
    padding === 'SAME'
      ? [Math.ceil(h / stride[0]), Math.ceil(w / stride[1])]
      : [Math.floor((h - kernel[0]) / stride[0]) + 1, Math.floor((w - kernel[1]) / stride[1]) + 1];
  const attrs: Record<string, Attr> = {
    T: f32,
    ksize: { ints: [1, kernel[0], kernel[1], 1] },
    strides: { ints: [1, stride[0], stride[1], 1] },
    padding: { s: padding },
    data_format: { s: 'NHWC' },
  };
  return e.g.op(fn === 'max' ? 'MaxPool' : 'AvgPool', [x], attrs, [n, out[0] as number, out[1] as number, c]);
}

/** FusedBatchNormV3 attributes. */
export function batchNormAttrs(epsilon: number, training: boolean): Record<string, Attr> {
  return {
    T: f32,
    U: f32,
    epsilon: { f: epsilon },
    data_format: { s: 'NHWC' },
    is_training: { b: training },
    exponential_avg_factor: { f: 1 },
  };
}

/**
 * FusedBatchNormV3 of NHWC x: in training, outputs y, the batch mean and the Bessel-corrected batch
 * variance (and three saved tensors for the gradient); in inference, y from the given statistics.
 */
export function fusedBatchNorm(
  e: Emit,
  x: Sym,
  scale: Sym,
  offset: Sym,
  mean: Sym,
  variance: Sym,
  epsilon: number,
  training: boolean,
): readonly Sym[] {
  const c = x.shape[3] as number;
  const vec = { shape: [c], dtype: 'float32' as const };
  const saved = { shape: [-1], dtype: 'float32' as const };
  return e.g.add('FusedBatchNormV3', [x, scale, offset, mean, variance], batchNormAttrs(epsilon, training), [
    { shape: x.shape, dtype: 'float32' },
    vec,
    vec,
    saved,
    saved,
    saved,
  ]).outputs;
}

/** Nearest or bilinear resize of NHWC x to [h, w] (tfjs's defaults: no corner alignment, no half-pixel centers). */
export function resize(e: Emit, x: Sym, size: Pair2, interpolation: 'nearest' | 'bilinear'): Sym {
  const [n, , , c] = x.shape as [number, number, number, number];
  const op = interpolation === 'nearest' ? 'ResizeNearestNeighbor' : 'ResizeBilinear';
  return e.g.op(
    op,
    [x, e.constI([size[0], size[1]])],
    { T: f32, align_corners: { b: false }, half_pixel_centers: { b: false } },
    [n, size[0], size[1], c],
  );
}

/** SpaceToBatchND / BatchToSpaceND around a function: TensorFlow's atrous convolution (dilation by phases). */
export function spaceToBatch(e: Emit, x: Sym, block: Pair2, paddings: Sides): Sym {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const hp = (h + paddings[0][0] + paddings[0][1]) / block[0];
  const wp = (w + paddings[1][0] + paddings[1][1]) / block[1];
  const batch = n === -1 ? -1 : n * block[0] * block[1];
  return e.g.op(
    'SpaceToBatchND',
    [x, e.constI(block), e.constI(paddings.flat(), [2, 2])],
    { T: f32, Tblock_shape: { type: 'int32' }, Tpaddings: { type: 'int32' } },
    [batch, hp, wp, c],
  );
}

export function batchToSpace(e: Emit, x: Sym, block: Pair2, crops: Sides): Sym {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const batch = n === -1 ? -1 : n / (block[0] * block[1]);
  const shape = [batch, h * block[0] - crops[0][0] - crops[0][1], w * block[1] - crops[1][0] - crops[1][1], c];
  return e.g.op(
    'BatchToSpaceND',
    [x, e.constI(block), e.constI(crops.flat(), [2, 2])],
    { T: f32, Tblock_shape: { type: 'int32' }, Tcrops: { type: 'int32' } },
    shape,
  );
}
