import type { DropPathNode } from '../../core/arch.js';
import { FRACTION, req } from './attrs.js';
import { ShapeError, first, noParams, zero, type PrimitiveDef } from './types.js';

/**
 * Drop-path (stochastic depth, Huang et al. 2016; timm's DropPath, torchvision's StochasticDepth in
 * 'row' mode): in training each example's input is zeroed with probability `rate` and the kept ones
 * scaled by 1 / (1 − rate); at inference the identity, so nothing is counted (like dropout).
 */
export const dropPath: PrimitiveDef<DropPathNode> = {
  kind: 'primitive',
  op: 'drop_path',
  summary: 'drop-path (stochastic depth): zero a whole example with a rate in [0, 1), identity at inference',
  attrs: { rate: req(FRACTION) },
  arity: { min: 1, max: 1 },
  inferShape(inputs) {
    const s = first(inputs);
    if (s.length === 0)
      throw new ShapeError('drop_path expects a tensor per example (a feature map or a vector), got a scalar');
    return s;
  },
  params: noParams,
  macs: zero,
  otherOps: zero,
};
