import type { ConvNode, DepthwiseConvNode, SeparableConvNode, Shape, TransposedConvNode } from '../../core/arch.js';
import { BOOL, NON_NEG_PAIR, PADDING, POS_INT, POS_PAIR, STRING, opt, req } from './attrs.js';
import { ShapeError, first, hwc, zero, type PrimitiveDef } from './types.js';
import { pairOf, paddingOf, windowAttrs, windowHW } from './window.js';

const WINDOW = {
  kernel: req(POS_PAIR),
  stride: opt(POS_PAIR, 1),
  padding: opt(PADDING, 'valid'),
  dilation: opt(POS_PAIR, 1),
};
const ONE = { min: 1, max: 1 } as const;

function kernelArea(n: { readonly kernel: ConvNode['kernel'] }): number {
  const [kh, kw] = pairOf(n.kernel, 1);
  return kh * kw;
}

function channels(inputs: readonly Shape[], op: string): number {
  return hwc(first(inputs), op)[2];
}

/** Convolution: params k²·(C_in/g)·C_out (+ C_out bias), MACs k²·(C_in/g)·C_out·H_out·W_out. */
export const conv: PrimitiveDef<ConvNode> = {
  kind: 'primitive',
  op: 'conv',
  summary: 'k×k convolution: stride, padding (same/valid/explicit), dilation, groups (grouped / depthwise)',
  attrs: { filters: req(POS_INT), ...WINDOW, groups: opt(POS_INT, 1), bias: opt(BOOL, true), weightsOf: opt(STRING) },
  arity: ONE,
  inferShape(inputs, n) {
    const [h, w, c] = hwc(first(inputs), 'conv');
    const g = n.groups ?? 1;
    if (c % g !== 0)
      throw new ShapeError(`groups ${g} must divide the input channels, got ${c} input channels`, 'groups');
    if (n.filters % g !== 0)
      throw new ShapeError(`groups ${g} must divide filters, got filters ${n.filters}`, 'groups');
    const [ho, wo] = windowHW(h, w, windowAttrs(n, 'one'));
    return [ho, wo, n.filters];
  },
  params(inputs, n) {
    const perGroupIn = channels(inputs, 'conv') / (n.groups ?? 1);
    return { trainable: kernelArea(n) * perGroupIn * n.filters + (n.bias === false ? 0 : n.filters), nonTrainable: 0 };
  },
  macs(inputs, n, out) {
    const [ho, wo] = hwc(out, 'conv');
    return kernelArea(n) * (channels(inputs, 'conv') / (n.groups ?? 1)) * n.filters * ho * wo;
  },
  otherOps: zero,
};

/** Depthwise convolution (tfjs DepthwiseConv2D): each channel its own k×k filters, C·multiplier outputs. */
export const dwconv: PrimitiveDef<DepthwiseConvNode> = {
  kind: 'primitive',
  op: 'dwconv',
  summary: 'depthwise k×k convolution (one filter per channel, times a depth multiplier)',
  attrs: { ...WINDOW, multiplier: opt(POS_INT, 1), bias: opt(BOOL, true) },
  arity: ONE,
  inferShape(inputs, n) {
    const [h, w, c] = hwc(first(inputs), 'dwconv');
    const [ho, wo] = windowHW(h, w, windowAttrs(n, 'one'));
    return [ho, wo, c * (n.multiplier ?? 1)];
  },
  params(inputs, n) {
    const out = channels(inputs, 'dwconv') * (n.multiplier ?? 1);
    return { trainable: kernelArea(n) * out + (n.bias === false ? 0 : out), nonTrainable: 0 };
  },
  macs(_inputs, n, out) {
    const [ho, wo, co] = hwc(out, 'dwconv');
    return kernelArea(n) * co * ho * wo;
  },
  otherOps: zero,
};

/** Depthwise-separable convolution (tfjs SeparableConv2D): depthwise k×k, pointwise 1×1, one bias. */
export const sepconv: PrimitiveDef<SeparableConvNode> = {
  kind: 'primitive',
  op: 'sepconv',
  summary: 'depthwise-separable convolution: depthwise k×k (dilation allowed) then pointwise 1×1',
  attrs: { filters: req(POS_INT), ...WINDOW, multiplier: opt(POS_INT, 1), bias: opt(BOOL, true) },
  arity: ONE,
  inferShape(inputs, n) {
    const [h, w] = hwc(first(inputs), 'sepconv');
    const [ho, wo] = windowHW(h, w, windowAttrs(n, 'one'));
    return [ho, wo, n.filters];
  },
  params(inputs, n) {
    const mid = channels(inputs, 'sepconv') * (n.multiplier ?? 1);
    const trainable = kernelArea(n) * mid + mid * n.filters + (n.bias === false ? 0 : n.filters);
    return { trainable, nonTrainable: 0 };
  },
  macs(inputs, n, out) {
    const [ho, wo] = hwc(out, 'sepconv');
    const mid = channels(inputs, 'sepconv') * (n.multiplier ?? 1);
    return (kernelArea(n) * mid + mid * n.filters) * ho * wo;
  },
  otherOps: zero,
};

function deconvLength(
  size: number,
  k: number,
  s: number,
  d: number,
  pad: 'same' | readonly [number, number],
  extra: number,
): number {
  if (pad === 'same') return size * s;
  return (size - 1) * s - pad[0] - pad[1] + d * (k - 1) + extra + 1;
}

/** Transposed convolution; MACs k²·C_in·C_out·H_in·W_in (every input pixel scatters a k×k×C_out patch). */
export const deconv: PrimitiveDef<TransposedConvNode> = {
  kind: 'primitive',
  op: 'deconv',
  summary: 'transposed convolution (upsampling by stride > 1): out = (in−1)·s − 2p + d·(k−1) + output_padding + 1',
  attrs: { filters: req(POS_INT), ...WINDOW, outputPadding: opt(NON_NEG_PAIR, 0), bias: opt(BOOL, true) },
  arity: ONE,
  inferShape(inputs, n) {
    const [h, w] = hwc(first(inputs), 'deconv');
    const [kh, kw] = pairOf(n.kernel, 1);
    const [sh, sw] = pairOf(n.stride, 1);
    const [dh, dw] = pairOf(n.dilation, 1);
    const [oph, opw] = pairOf(n.outputPadding, 0);
    const pad = paddingOf(n.padding);
    if (pad === 'same' && (oph > 0 || opw > 0)) {
      throw new ShapeError('outputPadding needs explicit or "valid" padding, got padding "same"', 'outputPadding');
    }
    if (oph >= Math.max(sh, dh) || opw >= Math.max(sw, dw)) {
      throw new ShapeError(`outputPadding must be smaller than stride or dilation, got ${oph}×${opw}`, 'outputPadding');
    }
    const ho = deconvLength(h, kh, sh, dh, pad === 'same' ? 'same' : pad[0], oph);
    const wo = deconvLength(w, kw, sw, dw, pad === 'same' ? 'same' : pad[1], opw);
    if (ho < 1 || wo < 1) throw new ShapeError(`padding removes the whole output: got ${ho}×${wo}`, 'padding');
    return [ho, wo, n.filters];
  },
  params(inputs, n) {
    const c = channels(inputs, 'deconv');
    return { trainable: kernelArea(n) * c * n.filters + (n.bias === false ? 0 : n.filters), nonTrainable: 0 };
  },
  macs(inputs, n) {
    const [h, w, c] = hwc(first(inputs), 'deconv');
    return kernelArea(n) * c * n.filters * h * w;
  },
  otherOps: zero,
};
