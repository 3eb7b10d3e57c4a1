import type { ArchNode, BasicBlockNode, BottleneckNode, Shortcut } from '../../../core/arch.js';
import { POS_INT, oneOf, opt, req } from '../attrs.js';
import { ShapeError, first, hwc, type BlockDef } from '../types.js';
import { branchAttention, branchAttentionAttrs } from './attention.js';
import { DROP_PATH, act, bn, branchDropPath, conv, part } from './parts.js';

const SHORTCUT = opt(oneOf(['auto', 'projection', 'identity']), 'auto');
const ONE = { min: 1, max: 1 } as const;
/** SE-ResNet and CBAM-ResNet use reduction 16 (Hu et al. 2018, Woo et al. 2018). */
const ATTENTION = branchAttentionAttrs(16);

/**
 * The residual tail: the branch's attention module (SE-ResNet / CBAM-ResNet: after the branch's last
 * BN, before the addition), its drop-path (last on the branch, as timm's blocks), the shortcut (1×1
 * projection + BN if asked), add, then ReLU under the block's own id.
 */
function join(
  n: BasicBlockNode | BottleneckNode,
  x: string,
  main: string,
  project: boolean,
  stride: number,
): ArchNode[] {
  const { id, filters } = n;
  const attention = branchAttention(id, main, n.attention, n.attentionRatio ?? 16);
  const dropped = branchDropPath(id, attention.output, n.dropPath);
  const nodes: ArchNode[] = [...attention.nodes, ...dropped.nodes];
  let skip = x;
  if (project) {
    nodes.push(conv(part(id, 'proj'), x, filters, 1, { stride }), bn(part(id, 'proj_bn'), part(id, 'proj')));
    skip = part(id, 'proj_bn');
  }
  nodes.push({ id: part(id, 'add'), op: 'add', inputs: [dropped.output, skip] }, act(id, part(id, 'add'), 'relu'));
  return nodes;
}

function needsProjection(shortcut: Shortcut | undefined, stride: number, inChannels: number, filters: number): boolean {
  if (shortcut === 'projection') return true;
  if (shortcut === 'identity') return false;
  return stride !== 1 || inChannels !== filters;
}

/** Basic residual block (He et al. 2016, torchvision BasicBlock): 3×3 s → 3×3, projection when the shape changes. */
export const basic: BlockDef<BasicBlockNode> = {
  kind: 'block',
  op: 'basic',
  summary:
    'basic residual block: 3×3 conv-BN-ReLU, 3×3 conv-BN, [SE/CBAM], shortcut (1×1 projection if needed), add, ReLU',
  attrs: { filters: req(POS_INT), stride: opt(POS_INT, 1), shortcut: SHORTCUT, ...ATTENTION, dropPath: DROP_PATH },
  arity: ONE,
  expand(n, inputs) {
    const [, , c] = hwc(first(inputs), 'basic');
    const x = n.inputs[0] ?? '';
    const s = n.stride ?? 1;
    const p = (name: string): string => part(n.id, name);
    return [
      conv(p('conv1'), x, n.filters, 3, { stride: s, padding: 1 }),
      bn(p('bn1'), p('conv1')),
      act(p('relu1'), p('bn1'), 'relu'),
      conv(p('conv2'), p('relu1'), n.filters, 3, { padding: 1 }),
      bn(p('bn2'), p('conv2')),
      ...join(n, x, p('bn2'), needsProjection(n.shortcut, s, c, n.filters), s),
    ];
  },
};

/** Bottleneck residual block (torchvision Bottleneck; ResNeXt with groups): 1×1 → 3×3 (stride, groups) → 1×1. */
export const bottleneck: BlockDef<BottleneckNode> = {
  kind: 'block',
  op: 'bottleneck',
  summary: 'bottleneck residual block: 1×1 reduce, 3×3 (stride, groups), 1×1 restore, [SE/CBAM], shortcut, add, ReLU',
  attrs: {
    filters: req(POS_INT),
    width: opt(POS_INT),
    stride: opt(POS_INT, 1),
    groups: opt(POS_INT, 1),
    strideOn: opt(oneOf(['1x1', '3x3']), '3x3'),
    shortcut: SHORTCUT,
    ...ATTENTION,
    dropPath: DROP_PATH,
  },
  arity: ONE,
  expand(n, inputs) {
    const [, , c] = hwc(first(inputs), 'bottleneck');
    if (n.width === undefined && n.filters % 4 !== 0) {
      throw new ShapeError(
        `width defaults to filters / 4, but filters ${n.filters} is not a multiple of 4; give width`,
        'width',
      );
    }
    const width = n.width ?? n.filters / 4;
    const x = n.inputs[0] ?? '';
    const s = n.stride ?? 1;
    const on1 = n.strideOn === '1x1';
    const p = (name: string): string => part(n.id, name);
    return [
      conv(p('conv1'), x, width, 1, { stride: on1 ? s : 1 }),
      bn(p('bn1'), p('conv1')),
      act(p('relu1'), p('bn1'), 'relu'),
      conv(p('conv2'), p('relu1'), width, 3, { stride: on1 ? 1 : s, padding: 1, groups: n.groups ?? 1 }),
      bn(p('bn2'), p('conv2')),
      act(p('relu2'), p('bn2'), 'relu'),
      conv(p('conv3'), p('relu2'), n.filters, 1),
      bn(p('bn3'), p('conv3')),
      ...join(n, x, p('bn3'), needsProjection(n.shortcut, s, c, n.filters), s),
    ];
  },
};
