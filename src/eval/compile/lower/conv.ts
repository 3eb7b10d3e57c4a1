/**
 * Convolutions of the catalog as TensorFlow ops, computing exactly what the builder's NasConv layer
 * computes (src/eval/build/layers/conv.ts): the same kernel layouts, padding, groups, and dilation
 * (natively for Conv2D; by space-to-batch phases for depthwise, whose dilated gradients oneDNN lacks).
 */
import type { ConvNode, DepthwiseConvNode, SeparableConvNode } from '../../../core/arch.js';
import { windowAttrs, type WindowAttrs } from '../../../space/ops/window.js';
import { explicitPadding, hasPadding } from '../../build/geometry.js';
import type { Pair2, Sides } from '../emit.js';
import type { Sym } from '../graph.js';
import { batchToSpace, biasAdd, conv2d, depthwise, spaceToBatch } from '../nn.js';
import type { LowerContext } from './context.js';

type Conv = ConvNode | DepthwiseConvNode | SeparableConvNode;

export function lowerConv(ctx: LowerContext, layer: string, node: Conv, x: Sym): Sym {
  const { e } = ctx;
  const [, h, w, c] = x.shape as [number, number, number, number];
  const window = windowAttrs(node, 'one');
  const sides = explicitPadding(h, w, window);
  const [kh, kw] = window.kernel;
  const kind = node.op === 'conv' ? 'conv' : node.op === 'dwconv' ? 'depthwise' : 'separable';
  const groups = node.op === 'conv' ? (node.groups ?? 1) : 1;
  const multiplier = node.op === 'conv' ? 1 : (node.multiplier ?? 1);
  const filters = node.op === 'dwconv' ? c * multiplier : node.filters;
  const kernelShape = kind === 'conv' ? [kh, kw, c / groups, filters] : [kh, kw, 1, c * multiplier];
  const kernel = ctx.weight(layer, 'kernel', kernelShape, 'kernel');
  const pointwise =
    kind === 'separable' ? ctx.weight(layer, 'pointwise_kernel', [1, 1, c * multiplier, filters], 'kernel') : undefined;
  const bias =
    (node.bias ?? true)
      ? ctx.weight(layer, 'bias', [kind === 'depthwise' ? c * multiplier : filters], 'bias')
      : undefined;
  // Stride and dilation on one axis (PyTorch allows it, TensorFlow does not): stride 1, then subsample.
  const both = [0, 1].map((i) => (window.dilation[i] as number) > 1 && (window.stride[i] as number) > 1);
  const stride: Pair2 = [both[0] ? 1 : window.stride[0], both[1] ? 1 : window.stride[1]];
  let y: Sym;
  if (kind !== 'conv' || (groups === c && filters % c === 0)) {
    const m = kind === 'conv' ? filters / c : multiplier;
    const dw = e.reshape(kernel, [kh, kw, c, m]);
    y = dilatedDepthwise(ctx, x, dw, window, sides, stride);
  } else if (groups === 1) {
    y = conv2d(e, x, kernel, stride, window.dilation, sides);
  } else {
    y = groupedConv(ctx, x, kernel, groups, stride, window.dilation, sides);
  }
  if (both[0] === true || both[1] === true)
    y = e.subsample(y, [both[0] ? window.stride[0] : 1, both[1] ? window.stride[1] : 1]);
  if (pointwise !== undefined)
    y = conv2d(
      e,
      ctx.separableMiddle?.(y) ?? y,
      pointwise,
      [1, 1],
      [1, 1],
      [
        [0, 0],
        [0, 0],
      ],
    );
  return bias === undefined ? y : biasAdd(e, y, bias);
}

/** Depthwise convolution; with dilation, padded then by phases as the builder's `dilated()` does. */
function dilatedDepthwise(
  ctx: LowerContext,
  x: Sym,
  kernel: Sym,
  window: WindowAttrs,
  sides: Sides,
  stride: Pair2,
): Sym {
  const { e } = ctx;
  const [dh, dw] = window.dilation;
  if (dh === 1 && dw === 1) return depthwise(e, x, kernel, stride, sides);
  const padded = hasPadding(sides) ? e.padSpatial(x, sides) : x;
  const [, h, w] = padded.shape as [number, number, number];
  const extra: Sides = [
    [0, (dh - (h % dh)) % dh],
    [0, (dw - (w % dw)) % dw],
  ];
  const phases = spaceToBatch(e, padded, [dh, dw], extra);
  const y = depthwise(e, phases, kernel, stride, [
    [0, 0],
    [0, 0],
  ]);
  const [, hy, wy] = y.shape as [number, number, number];
  const [kh, kw] = window.kernel;
  const keepH = dh === 1 ? hy : h - dh * (kh - 1);
  const keepW = dw === 1 ? wy : w - dw * (kw - 1);
  return batchToSpace(
    e,
    y,
    [dh, dw],
    [
      [0, hy * dh - keepH],
      [0, wy * dw - keepW],
    ],
  );
}

/** A grouped convolution as one Conv2D per group of channels, concatenated (the builder's split). */
function groupedConv(
  ctx: LowerContext,
  x: Sym,
  kernel: Sym,
  groups: number,
  stride: Pair2,
  dilation: Pair2,
  sides: Sides,
): Sym {
  const { e } = ctx;
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const [kh, kw, ci, filters] = kernel.shape as [number, number, number, number];
  const per = filters / groups;
  const parts = Array.from({ length: groups }, (_, g) => {
    const xs = e.slice(x, [0, 0, 0, g * (c / groups)], [n === -1 ? -1 : n, h, w, c / groups]);
    const ks = e.slice(kernel, [0, 0, 0, g * per], [kh, kw, ci, per]);
    return conv2d(e, xs, ks, stride, dilation, sides);
  });
  return e.concat(parts, 3);
}
