import type { ArchNode } from '../../../core/arch.js';
import { act, bn, conv } from '../../ops/blocks/parts.js';

/** Every op a DARTS cell can use, named as in `operations.py` OPS (Liu et al. 2019). */
export const DARTS_OP_NAMES = [
  'none',
  'max_pool_3x3',
  'avg_pool_3x3',
  'skip_connect',
  'sep_conv_3x3',
  'sep_conv_5x5',
  'sep_conv_7x7',
  'dil_conv_3x3',
  'dil_conv_5x5',
  'conv_7x1_1x7',
] as const;
export type DartsOpName = (typeof DARTS_OP_NAMES)[number];

/** DARTS's PRIMITIVES (`genotypes.py`): the default op set; `none` enters only the relaxation. */
export const DARTS_PRIMITIVES: readonly DartsOpName[] = [
  'none',
  'max_pool_3x3',
  'avg_pool_3x3',
  'skip_connect',
  'sep_conv_3x3',
  'sep_conv_5x5',
  'dil_conv_3x3',
  'dil_conv_5x5',
];

/** Whether `name` is a DARTS op name. */
export function isDartsOp(name: unknown): name is DartsOpName {
  return typeof name === 'string' && (DARTS_OP_NAMES as readonly string[]).includes(name);
}

/** Where an op goes: its output id (its parts are `<id>.<part>`), its input, its channels C and stride. */
export interface EdgeSite {
  readonly id: string;
  readonly input: string;
  readonly channels: number;
  readonly stride: 1 | 2;
  /** Affine BatchNorm (default); false in the supernet, as in DARTS's search model. */
  readonly affine?: boolean;
}

const relu = (id: string, input: string): ArchNode => act(id, input, 'relu');
const affineAttr = (s: EdgeSite): { affine?: false } => (s.affine === false ? { affine: false } : {});

function dw(id: string, input: string, k: number, stride: number, padding: number, dilation = 1): ArchNode {
  return { id, op: 'dwconv', inputs: [input], kernel: k, stride, padding, dilation, multiplier: 1, bias: false };
}

/** SepConv: (ReLU, dw k×k stride s, pw 1×1, BN), then the same unit at stride 1. */
function sepConv(s: EdgeSite, k: number): ArchNode[] {
  const p = (name: string): string => `${s.id}.${name}`;
  const pad = (k - 1) / 2;
  return [
    relu(p('relu1'), s.input),
    dw(p('dw1'), p('relu1'), k, s.stride, pad),
    conv(p('pw1'), p('dw1'), s.channels, 1),
    bn(p('bn1'), p('pw1'), s.affine !== false),
    relu(p('relu2'), p('bn1')),
    dw(p('dw2'), p('relu2'), k, 1, pad),
    conv(p('pw2'), p('dw2'), s.channels, 1),
    bn(s.id, p('pw2'), s.affine !== false),
  ];
}

/** DilConv: ReLU, dw k×k with stride s and dilation 2 (padding k − 1), pw 1×1, BN. */
function dilConv(s: EdgeSite, k: number): ArchNode[] {
  const p = (name: string): string => `${s.id}.${name}`;
  return [
    relu(p('relu'), s.input),
    dw(p('dw'), p('relu'), k, s.stride, k - 1, 2),
    conv(p('pw'), p('dw'), s.channels, 1),
    bn(s.id, p('pw'), s.affine !== false),
  ];
}

/** conv_7x1_1x7: ReLU, 1×7 conv stride (1, s), 7×1 conv stride (s, 1), BN. */
function conv7x1(s: EdgeSite): ArchNode[] {
  const p = (name: string): string => `${s.id}.${name}`;
  const base = { op: 'conv', filters: s.channels, dilation: 1, groups: 1, bias: false } as const;
  return [
    relu(p('relu'), s.input),
    { ...base, id: p('conv1x7'), inputs: [p('relu')], kernel: [1, 7], stride: [1, s.stride], padding: [0, 3] },
    { ...base, id: p('conv7x1'), inputs: [p('conv1x7')], kernel: [7, 1], stride: [s.stride, 1], padding: [3, 0] },
    bn(s.id, p('conv7x1'), s.affine !== false),
  ];
}

/** The primitive nodes of one DARTS op on one edge (`operations.py`); the last node's id is `site.id`. */
export function dartsOpNodes(op: DartsOpName, site: EdgeSite): ArchNode[] {
  const { id, input, stride } = site;
  switch (op) {
    case 'none':
      return [{ id, op: 'zero', inputs: [input], stride }];
    case 'max_pool_3x3':
      return [{ id, op: 'maxpool', inputs: [input], kernel: 3, stride, padding: 1 }];
    case 'avg_pool_3x3':
      return [{ id, op: 'avgpool', inputs: [input], kernel: 3, stride, padding: 1, includePad: false }];
    case 'skip_connect':
      return stride === 1
        ? [{ id, op: 'identity', inputs: [input] }]
        : [{ id, op: 'factorized_reduce', inputs: [input], filters: site.channels, ...affineAttr(site) }];
    case 'sep_conv_3x3':
      return sepConv(site, 3);
    case 'sep_conv_5x5':
      return sepConv(site, 5);
    case 'sep_conv_7x7':
      return sepConv(site, 7);
    case 'dil_conv_3x3':
      return dilConv(site, 3);
    case 'dil_conv_5x5':
      return dilConv(site, 5);
    case 'conv_7x1_1x7':
      return conv7x1(site);
  }
}
