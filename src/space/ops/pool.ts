import type {
  AvgPoolNode,
  ChannelPoolNode,
  GlobalAvgPoolNode,
  GlobalMaxPoolNode,
  MaxPoolNode,
  Shape,
} from '../../core/arch.js';
import { BOOL, PADDING, POS_PAIR, oneOf, opt, req } from './attrs.js';
import { ShapeError, first, hwc, noParams, numel, zero, type PrimitiveDef } from './types.js';
import { windowAttrs, windowHW } from './window.js';

const ONE = { min: 1, max: 1 } as const;
const POOL_ATTRS = { kernel: req(POS_PAIR), stride: opt(POS_PAIR), padding: opt(PADDING, 'valid') };

function poolShape(inputs: readonly Shape[], n: MaxPoolNode | AvgPoolNode): Shape {
  const [h, w, c] = hwc(first(inputs), n.op);
  const a = windowAttrs(n, 'kernel');
  if (a.pad !== 'same') {
    const [[t, b], [l, r]] = a.pad;
    if (Math.max(t, b) > Math.floor(a.kernel[0] / 2) || Math.max(l, r) > Math.floor(a.kernel[1] / 2)) {
      throw new ShapeError(
        `padding must be at most half the kernel ${a.kernel.join('×')}, got [[${t},${b}],[${l},${r}]]`,
        'padding',
      );
    }
  }
  const [ho, wo] = windowHW(h, w, a);
  return [ho, wo, c];
}

function windowOps(_inputs: readonly Shape[], n: MaxPoolNode | AvgPoolNode, out: Shape): number {
  const a = windowAttrs(n, 'kernel');
  return a.kernel[0] * a.kernel[1] * numel(out);
}

/** Max pooling; explicit padding counts as −∞ (PyTorch), never as zeros. Stride defaults to the kernel. */
export const maxpool: PrimitiveDef<MaxPoolNode> = {
  kind: 'primitive',
  op: 'maxpool',
  summary: 'k×k max pooling (stride defaults to k; explicit padding is −∞)',
  attrs: POOL_ATTRS,
  arity: ONE,
  inferShape: poolShape,
  params: noParams,
  macs: zero,
  otherOps: windowOps,
};

/** Average pooling; with explicit padding, `includePad` (default true, PyTorch) divides by the whole window. */
export const avgpool: PrimitiveDef<AvgPoolNode> = {
  kind: 'primitive',
  op: 'avgpool',
  summary: 'k×k average pooling (stride defaults to k)',
  attrs: { ...POOL_ATTRS, includePad: opt(BOOL, true) },
  arity: ONE,
  inferShape: poolShape,
  params: noParams,
  macs: zero,
  otherOps: windowOps,
};

function globalShape(op: string) {
  return (inputs: readonly Shape[]): Shape => [hwc(first(inputs), op)[2]];
}
const readEach = (inputs: readonly Shape[]): number => numel(first(inputs));

/** Global average pooling: [H, W, C] → [C]. */
export const gap: PrimitiveDef<GlobalAvgPoolNode> = {
  kind: 'primitive',
  op: 'gap',
  summary: 'global average pooling [H,W,C] → [C]',
  attrs: {},
  arity: ONE,
  inferShape: globalShape('gap'),
  params: noParams,
  macs: zero,
  otherOps: readEach,
};

/** Global max pooling: [H, W, C] → [C]. */
export const gmp: PrimitiveDef<GlobalMaxPoolNode> = {
  kind: 'primitive',
  op: 'gmp',
  summary: 'global max pooling [H,W,C] → [C]',
  attrs: {},
  arity: ONE,
  inferShape: globalShape('gmp'),
  params: noParams,
  macs: zero,
  otherOps: readEach,
};

/** Mean or max across channels: [H, W, C] → [H, W, 1]. */
export const channelPool: PrimitiveDef<ChannelPoolNode> = {
  kind: 'primitive',
  op: 'channel_pool',
  summary: 'mean or max across channels [H,W,C] → [H,W,1] (CBAM spatial attention)',
  attrs: { fn: req(oneOf(['mean', 'max'])) },
  arity: ONE,
  inferShape(inputs) {
    const [h, w] = hwc(first(inputs), 'channel_pool');
    return [h, w, 1];
  },
  params: noParams,
  macs: zero,
  otherOps: readEach,
};
