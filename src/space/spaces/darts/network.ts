import type { ArchNode, ArchSpec } from '../../../core/arch.js';
import { act, bn, conv } from '../../ops/blocks/parts.js';
import type { DartsConfig, DartsEdge, DartsSample } from './genotype.js';
import type { DartsOpName } from './ops.js';
import { dartsOpNodes } from './ops.js';

/** One cell of the network: its kind and channels (`model.py` NetworkCIFAR's loop). */
export interface CellPlan {
  readonly reduction: boolean;
  /** The previous cell was a reduction: the first input is reduced by a FactorizedReduce. */
  readonly reductionPrev: boolean;
  readonly cPrevPrev: number;
  readonly cPrev: number;
  /** Channels of every op in the cell (C, doubled at each reduction). */
  readonly c: number;
}

/** The L cells: reductions at ⌊L/3⌋ and ⌊2L/3⌋, channels doubling there, stem of 3C, outputs of B·C. */
export function cellPlan(layers: number, channels: number, nodes: number): CellPlan[] {
  const plan: CellPlan[] = [];
  let [cPrevPrev, cPrev, c, reductionPrev] = [3 * channels, 3 * channels, channels, false];
  for (let i = 0; i < layers; i++) {
    const reduction = i === Math.floor(layers / 3) || i === Math.floor((2 * layers) / 3);
    if (reduction) c *= 2;
    plan.push({ reduction, reductionPrev, cPrevPrev, cPrev, c });
    [cPrevPrev, cPrev, reductionPrev] = [cPrev, nodes * c, reduction];
  }
  return plan;
}

/** ReLU, 1×1 conv, BN: a cell's preprocessing of an input state (`operations.py` ReLUConvBN). */
export function reluConvBn(id: string, input: string, filters: number, affine = true): ArchNode[] {
  return [act(`${id}.relu`, input, 'relu'), conv(`${id}.conv`, `${id}.relu`, filters, 1), bn(id, `${id}.conv`, affine)];
}

/** The nodes of cell `id`: preprocessing, two ops and a sum per node, concat of the nodes under `id`. */
export function cellNodes(id: string, plan: CellPlan, edges: readonly DartsEdge[], s0: string, s1: string): ArchNode[] {
  const nodes: ArchNode[] = plan.reductionPrev
    ? [{ id: `${id}.pre0`, op: 'factorized_reduce', inputs: [s0], filters: plan.c }]
    : reluConvBn(`${id}.pre0`, s0, plan.c);
  nodes.push(...reluConvBn(`${id}.pre1`, s1, plan.c));
  const states = [`${id}.pre0`, `${id}.pre1`];
  for (let n = 0; n < edges.length / 2; n++) {
    const node = `${id}.n${n + 2}`;
    const ends = [0, 1].map((slot) => {
      const [op, input] = edges[2 * n + slot] as DartsEdge;
      const site = {
        id: `${node}.e${slot}`,
        input: states[input] as string,
        channels: plan.c,
        stride: plan.reduction && input < 2 ? 2 : 1,
      } as const;
      nodes.push(...dartsOpNodes(op as DartsOpName, site));
      return site.id;
    });
    nodes.push({ id: node, op: 'add', inputs: ends });
    states.push(node);
  }
  const inner = states.slice(2);
  nodes.push(inner.length > 1 ? { id, op: 'concat', inputs: inner } : { id, op: 'identity', inputs: inner });
  return nodes;
}

/**
 * The DARTS evaluation network for CIFAR (`model.py` NetworkCIFAR, without the auxiliary head): stem
 * 3×3 conv of 3C + BN, L cells (cell i reads cells i−2 and i−1, the stem standing in for both at
 * first), global average pooling, a dense classifier. Input shape and class count come from the data set.
 */
export function dartsNetwork(sample: DartsSample, cfg: DartsConfig): ArchSpec {
  const nodes: ArchNode[] = [conv('stem', 'input', 3 * cfg.channels, 3, { padding: 1 }), bn('stem_bn', 'stem')];
  let [s0, s1] = ['stem_bn', 'stem_bn'];
  cellPlan(cfg.layers, cfg.channels, cfg.nodes).forEach((plan, i) => {
    nodes.push(...cellNodes(`c${i}`, plan, plan.reduction ? sample.reduce : sample.normal, s0, s1));
    [s0, s1] = [s1, `c${i}`];
  });
  nodes.push(
    { id: 'gap', op: 'gap', inputs: [s1] },
    { id: 'classifier', op: 'dense', inputs: ['gap'], units: 'classes' },
  );
  return { version: 1, name: 'darts', nodes, output: 'classifier' };
}
