import type { CropNode, IdentityNode, UpsampleNode, ZeroNode } from '../../core/arch.js';
import { EXPLICIT, POS_PAIR, explicitSides, oneOf, opt, req } from './attrs.js';
import { ShapeError, first, hwc, noParams, zero, type PrimitiveDef } from './types.js';
import { pairOf } from './window.js';

const ONE = { min: 1, max: 1 } as const;

/** The input unchanged (a view). */
export const identity: PrimitiveDef<IdentityNode> = {
  kind: 'primitive',
  op: 'identity',
  summary: 'identity (skip connection)',
  attrs: {},
  arity: ONE,
  inferShape: (inputs) => first(inputs),
  params: noParams,
  macs: zero,
  otherOps: zero,
  alias: true,
};

/** Zeros of the input's shape, subsampled by stride: [ceil(H/s), ceil(W/s), C] (DARTS "none"). */
export const zeroOp: PrimitiveDef<ZeroNode> = {
  kind: 'primitive',
  op: 'zero',
  summary: 'zeros shaped like the input, subsampled by stride (DARTS "none")',
  attrs: { stride: opt(POS_PAIR, 1) },
  arity: ONE,
  inferShape(inputs, n) {
    const [h, w, c] = hwc(first(inputs), 'zero');
    const [sh, sw] = pairOf(n.stride, 1);
    return [Math.ceil(h / sh), Math.ceil(w / sw), c];
  },
  params: noParams,
  macs: zero,
  otherOps: zero,
};

/** Removes rows and columns at the borders (tfjs Cropping2D). */
export const crop: PrimitiveDef<CropNode> = {
  kind: 'primitive',
  op: 'crop',
  summary: 'crop rows/columns at the borders: p, [ph, pw] or [[top, bottom], [left, right]]',
  attrs: { crop: req(EXPLICIT) },
  arity: ONE,
  inferShape(inputs, n) {
    const [h, w, c] = hwc(first(inputs), 'crop');
    const [[t, b], [l, r]] = explicitSides(n.crop);
    if (t + b >= h || l + r >= w) {
      throw new ShapeError(`cropping [[${t},${b}],[${l},${r}]] leaves nothing of a ${h}×${w} input`, 'crop');
    }
    return [h - t - b, w - l - r, c];
  },
  params: noParams,
  macs: zero,
  otherOps: zero,
};

/** Repeats (nearest) or interpolates (bilinear) rows and columns by an integer scale (tfjs UpSampling2D). */
export const upsample: PrimitiveDef<UpsampleNode> = {
  kind: 'primitive',
  op: 'upsample',
  summary: 'upsampling by an integer scale, nearest or bilinear',
  attrs: { scale: req(POS_PAIR), interpolation: opt(oneOf(['nearest', 'bilinear']), 'nearest') },
  arity: ONE,
  inferShape(inputs, n) {
    const [h, w, c] = hwc(first(inputs), 'upsample');
    const [sh, sw] = pairOf(n.scale, 1);
    return [h * sh, w * sw, c];
  },
  params: noParams,
  macs: zero,
  otherOps: zero,
};
