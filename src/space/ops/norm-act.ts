import { ACTIVATIONS, type ActivationNode, type BatchNormNode, type DropoutNode, type Shape } from '../../core/arch.js';
import { BOOL, FRACTION, POS_NUMBER, oneOf, opt, req } from './attrs.js';
import { ShapeError, first, noParams, numel, zero, type PrimitiveDef } from './types.js';

const ONE = { min: 1, max: 1 } as const;
const same = (inputs: readonly Shape[]): Shape => first(inputs);
const each = (inputs: readonly Shape[]): number => numel(first(inputs));

/** BatchNorm over the last axis: γ, β trainable (2·C, none when not affine); moving mean and variance non-trainable (2·C). */
export const bn: PrimitiveDef<BatchNormNode> = {
  kind: 'primitive',
  op: 'bn',
  summary: 'batch normalisation over channels (2·C trainable, 2·C moving statistics)',
  attrs: { epsilon: opt(POS_NUMBER, 1e-5), momentum: opt(FRACTION, 0.9), affine: opt(BOOL, true) },
  arity: ONE,
  inferShape(inputs) {
    const s = first(inputs);
    if (s.length === 0) throw new ShapeError('bn expects a tensor with a channel axis, got a scalar');
    return s;
  },
  params(inputs, n) {
    const c = first(inputs).at(-1) ?? 0;
    return { trainable: n.affine === false ? 0 : 2 * c, nonTrainable: 2 * c };
  },
  macs: zero,
  otherOps: (inputs) => 2 * numel(first(inputs)),
};

/** An element-wise activation (one op per element). */
export const act: PrimitiveDef<ActivationNode> = {
  kind: 'primitive',
  op: 'act',
  summary: `activation: ${ACTIVATIONS.join(', ')}`,
  attrs: { fn: req(oneOf(ACTIVATIONS)), alpha: opt(POS_NUMBER) },
  arity: ONE,
  inferShape: same,
  params: noParams,
  macs: zero,
  otherOps: each,
};

/** Dropout: the identity at inference, nothing counted. */
export const dropout: PrimitiveDef<DropoutNode> = {
  kind: 'primitive',
  op: 'dropout',
  summary: 'dropout with a rate in [0, 1)',
  attrs: { rate: req(FRACTION) },
  arity: ONE,
  inferShape: same,
  params: noParams,
  macs: zero,
  otherOps: zero,
};
