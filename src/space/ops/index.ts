import type { ArchNode, BlockNode, OpName, PrimitiveNode } from '../../core/arch.js';
import { cbam, se } from './blocks/attention.js';
import { fpn } from './blocks/fpn.js';
import { invertedResidual } from './blocks/inverted.js';
import { factorizedReduce } from './blocks/reduce.js';
import { basic, bottleneck } from './blocks/residual.js';
import { conv, deconv, dwconv, sepconv } from './conv.js';
import { dense, flatten } from './dense.js';
import { dropPath } from './drop-path.js';
import { add, concat, mix, mul } from './merge.js';
import { act, bn, dropout } from './norm-act.js';
import { avgpool, channelPool, gap, gmp, maxpool } from './pool.js';
import { crop, identity, upsample, zeroOp } from './structure.js';
import type { BlockDef, OpCatalog, PrimitiveDef } from './types.js';

/** The op catalog: every op of an ArchSpec, its attributes, shape rule and cost formulas (or expansion). */
export const ops: OpCatalog = {
  conv,
  dwconv,
  sepconv,
  deconv,
  maxpool,
  avgpool,
  gap,
  gmp,
  channel_pool: channelPool,
  bn,
  act,
  dropout,
  drop_path: dropPath,
  dense,
  flatten,
  identity,
  zero: zeroOp,
  crop,
  upsample,
  add,
  concat,
  mul,
  mix,
  basic,
  bottleneck,
  inverted_residual: invertedResidual,
  se,
  cbam,
  fpn,
  factorized_reduce: factorizedReduce,
};

/** Whether `name` is an op of the catalog. */
export function isOpName(name: unknown): name is OpName {
  return typeof name === 'string' && Object.hasOwn(ops, name);
}

/** The description of a node's op, typed loosely for generic walkers (resolver, validator). */
export function defOf(node: ArchNode): PrimitiveDef<PrimitiveNode> | BlockDef<BlockNode> {
  return ops[node.op];
}

/** `nas list ops`: name, kind and one-line summary of every op. */
export function listOps(): { name: OpName; kind: 'primitive' | 'block'; summary: string }[] {
  return (Object.keys(ops) as OpName[]).map((name) => ({ name, kind: ops[name].kind, summary: ops[name].summary }));
}

export * from './types.js';
