import type { ArchNode, BranchAttention, CbamNode, SqueezeExcitationNode } from '../../../core/arch.js';
import { POS_INT, oneOf, opt, type AttrSchema } from '../attrs.js';
import { first, hwc, type BlockDef } from '../types.js';
import { act, bn, conv, halfPad, part, reduced } from './parts.js';

const ONE = { min: 1, max: 1 } as const;

/** The attributes of a block that can hold an attention module on its branch, with its default ratio. */
export const branchAttentionAttrs = (ratio: number): AttrSchema => ({
  attention: opt(oneOf(['none', 'se', 'cbam']), 'none'),
  attentionRatio: opt(POS_INT, ratio),
});

/** A block's attention module on `input`, named `<block>/se` or `<block>/cbam`; `output` is what follows it. */
export function branchAttention(
  block: string,
  input: string,
  kind: BranchAttention | undefined,
  ratio: number,
): { nodes: ArchNode[]; output: string } {
  if (kind === undefined || kind === 'none') return { nodes: [], output: input };
  const id = part(block, kind);
  return { nodes: [{ id, op: kind, inputs: [input], ratio }], output: id };
}

/** Squeeze-and-excitation (Hu et al. 2018): GAP → dense C/r → ReLU → dense C → sigmoid → scale the input. */
export const se: BlockDef<SqueezeExcitationNode> = {
  kind: 'block',
  op: 'se',
  summary: 'squeeze-excitation: GAP, dense C/ratio, ReLU, dense C, sigmoid, channel scaling',
  attrs: { ratio: opt(POS_INT, 16) },
  arity: ONE,
  expand(n, inputs) {
    const [, , c] = hwc(first(inputs), 'se');
    const p = (name: string): string => part(n.id, name);
    const x = n.inputs[0] ?? '';
    return [
      { id: p('squeeze'), op: 'gap', inputs: [x] },
      { id: p('fc1'), op: 'dense', inputs: [p('squeeze')], units: reduced(c, n.ratio ?? 16), bias: true },
      act(p('relu'), p('fc1'), 'relu'),
      { id: p('fc2'), op: 'dense', inputs: [p('relu')], units: c, bias: true },
      act(p('gate'), p('fc2'), 'sigmoid'),
      { id: n.id, op: 'mul', inputs: [x, p('gate')] },
    ];
  },
};

/**
 * CBAM (Woo et al. 2018): channel attention from a shared MLP on the average- and max-pooled
 * descriptors (summed, sigmoid), then spatial attention from a k×k conv + BN over the channel-wise
 * max and mean maps (sigmoid). The shared MLP's second use reuses the first's weights (`weightsOf`).
 */
export const cbam: BlockDef<CbamNode> = {
  kind: 'block',
  op: 'cbam',
  summary: 'CBAM: channel attention (shared MLP on avg+max pooled), then spatial attention (k×k conv on max+mean maps)',
  attrs: { ratio: opt(POS_INT, 16), kernel: opt(POS_INT, 7) },
  arity: ONE,
  expand(n, inputs) {
    const [, , c] = hwc(first(inputs), 'cbam');
    const p = (name: string): string => part(n.id, name);
    const x = n.inputs[0] ?? '';
    const hidden = reduced(c, n.ratio ?? 16);
    const k = n.kernel ?? 7;
    return [
      { id: p('avg'), op: 'gap', inputs: [x] },
      { id: p('fc1_avg'), op: 'dense', inputs: [p('avg')], units: hidden, bias: true },
      act(p('relu_avg'), p('fc1_avg'), 'relu'),
      { id: p('fc2_avg'), op: 'dense', inputs: [p('relu_avg')], units: c, bias: true },
      { id: p('max'), op: 'gmp', inputs: [x] },
      { id: p('fc1_max'), op: 'dense', inputs: [p('max')], units: hidden, bias: true, weightsOf: p('fc1_avg') },
      act(p('relu_max'), p('fc1_max'), 'relu'),
      { id: p('fc2_max'), op: 'dense', inputs: [p('relu_max')], units: c, bias: true, weightsOf: p('fc2_avg') },
      { id: p('channel_sum'), op: 'add', inputs: [p('fc2_avg'), p('fc2_max')] },
      act(p('channel_gate'), p('channel_sum'), 'sigmoid'),
      { id: p('channel_out'), op: 'mul', inputs: [x, p('channel_gate')] },
      { id: p('spatial_max'), op: 'channel_pool', inputs: [p('channel_out')], fn: 'max' },
      { id: p('spatial_mean'), op: 'channel_pool', inputs: [p('channel_out')], fn: 'mean' },
      { id: p('spatial_cat'), op: 'concat', inputs: [p('spatial_max'), p('spatial_mean')] },
      conv(p('spatial_conv'), p('spatial_cat'), 1, k, { padding: halfPad(k) }),
      bn(p('spatial_bn'), p('spatial_conv')),
      act(p('spatial_gate'), p('spatial_bn'), 'sigmoid'),
      { id: n.id, op: 'mul', inputs: [p('channel_out'), p('spatial_gate')] },
    ];
  },
};
