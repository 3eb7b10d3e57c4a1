import { ACTIVATIONS, type ArchNode, type InvertedResidualNode } from '../../../core/arch.js';
import { POS_INT, POS_NUMBER, oneOf, opt, req } from '../attrs.js';
import { first, hwc, type BlockDef } from '../types.js';
import { branchAttention, branchAttentionAttrs } from './attention.js';
import { DROP_PATH, act, bn, branchDropPath, conv, halfPad, part } from './parts.js';

/**
 * MobileNetV2 inverted residual (Sandler et al. 2018, torchvision InvertedResidual): 1×1 expand to
 * round(C·t) when t ≠ 1, k×k depthwise with stride, 1×1 linear projection; residual add when the
 * stride is 1 and channels are kept. An attention module goes where MobileNetV3 (Howard et al. 2019)
 * puts its SE: on the expanded map after the depthwise conv, before the projection, with or without
 * a shortcut; its hidden width is floor(expanded / ratio) and its gate a sigmoid (MobileNetV3:
 * rounded to a multiple of 8, hard sigmoid).
 */
export const invertedResidual: BlockDef<InvertedResidualNode> = {
  kind: 'block',
  op: 'inverted_residual',
  summary:
    'MobileNetV2 inverted residual: 1×1 expand (×t), depthwise k×k, [SE/CBAM], 1×1 linear project, add if shape kept',
  attrs: {
    filters: req(POS_INT),
    expansion: req(POS_NUMBER),
    stride: opt(POS_INT, 1),
    kernel: opt(POS_INT, 3),
    act: opt(oneOf(ACTIVATIONS), 'relu6'),
    ...branchAttentionAttrs(4),
    dropPath: DROP_PATH,
  },
  arity: { min: 1, max: 1 },
  expand(n, inputs) {
    const [, , c] = hwc(first(inputs), 'inverted_residual');
    const p = (name: string): string => part(n.id, name);
    const x = n.inputs[0] ?? '';
    const fn = n.act ?? 'relu6';
    const k = n.kernel ?? 3;
    const s = n.stride ?? 1;
    const hidden = Math.round(c * n.expansion);
    const residual = s === 1 && c === n.filters;
    const nodes: ArchNode[] = [];
    let cur = x;
    if (n.expansion !== 1) {
      nodes.push(
        conv(p('expand'), x, hidden, 1),
        bn(p('expand_bn'), p('expand')),
        act(p('expand_act'), p('expand_bn'), fn),
      );
      cur = p('expand_act');
    }
    const attention = branchAttention(n.id, p('dw_act'), n.attention, n.attentionRatio ?? 4);
    nodes.push(
      {
        id: p('dw'),
        op: 'dwconv',
        inputs: [cur],
        kernel: k,
        stride: s,
        padding: halfPad(k),
        dilation: 1,
        multiplier: 1,
        bias: false,
      },
      bn(p('dw_bn'), p('dw')),
      act(p('dw_act'), p('dw_bn'), fn),
      ...attention.nodes,
      conv(p('project'), attention.output, n.filters, 1),
      bn(residual ? p('project_bn') : n.id, p('project')),
    );
    if (residual) {
      const dropped = branchDropPath(n.id, p('project_bn'), n.dropPath);
      nodes.push(...dropped.nodes, { id: n.id, op: 'add', inputs: [x, dropped.output] });
    }
    return nodes;
  },
};
