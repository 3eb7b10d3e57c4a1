import type { ArchNode, ArchSpec } from '../../../core/arch.js';
import { bn, conv } from '../../ops/blocks/parts.js';
import type { SupernetOptions } from '../../search-space.js';
import type { CellKind, DartsConfig } from './genotype.js';
import { cellPlan, reluConvBn, type CellPlan } from './network.js';
import { dartsOpNodes } from './ops.js';

/**
 * The search cell (`model_search.py` Cell): preprocessing without affine BN, then every node k sums a
 * `mix` over each earlier state j (edge rows in the relaxation's order: node after node, j = 0 … k−1).
 * Every candidate op is built with non-affine BN; pooling ops get a BatchNorm after them, as MixedOp
 * adds one.
 */
function searchCell(id: string, cell: CellKind, plan: CellPlan, cfg: DartsConfig, s0: string, s1: string): ArchNode[] {
  const nodes: ArchNode[] = plan.reductionPrev
    ? [{ id: `${id}.pre0`, op: 'factorized_reduce', inputs: [s0], filters: plan.c, affine: false }]
    : reluConvBn(`${id}.pre0`, s0, plan.c, false);
  nodes.push(...reluConvBn(`${id}.pre1`, s1, plan.c, false));
  const states = [`${id}.pre0`, `${id}.pre1`];
  let edge = 0;
  for (let n = 0; n < cfg.nodes; n++) {
    const node = `${id}.n${n + 2}`;
    const terms = states.map((input, from) => {
      const mix = `${node}.from${from}`;
      const stride = plan.reduction && from < 2 ? 2 : 1;
      const candidates = cfg.relaxed.map((op) => {
        const pooled = op.includes('pool');
        const site = {
          id: pooled ? `${mix}.${op}.pool` : `${mix}.${op}`,
          input,
          channels: plan.c,
          stride,
          affine: false,
        } as const;
        nodes.push(...dartsOpNodes(op, site));
        if (pooled) nodes.push(bn(`${mix}.${op}`, site.id, false));
        return `${mix}.${op}`;
      });
      nodes.push({ id: mix, op: 'mix', inputs: candidates, alpha: cell, edge: edge++ });
      return mix;
    });
    nodes.push(terms.length > 1 ? { id: node, op: 'add', inputs: terms } : { id: node, op: 'identity', inputs: terms });
    states.push(node);
  }
  const inner = states.slice(2);
  nodes.push(inner.length > 1 ? { id, op: 'concat', inputs: inner } : { id, op: 'identity', inputs: inner });
  return nodes;
}

/**
 * The DARTS supernet (`model_search.py` Network): stem 3×3 conv of 3C + affine BN, L search cells
 * sharing α per kind ("normal", "reduce"), global average pooling, dense. Search runs at a smaller
 * size than evaluation (the paper: C = 16, L = 8), set by `size`.
 */
export function dartsSupernet(cfg: DartsConfig, size: SupernetOptions = {}): ArchSpec {
  const channels = size.channels ?? cfg.channels;
  const layers = size.layers ?? cfg.layers;
  const nodes: ArchNode[] = [conv('stem', 'input', 3 * channels, 3, { padding: 1 }), bn('stem_bn', 'stem')];
  let [s0, s1] = ['stem_bn', 'stem_bn'];
  cellPlan(layers, channels, cfg.nodes).forEach((plan, i) => {
    nodes.push(...searchCell(`c${i}`, plan.reduction ? 'reduce' : 'normal', plan, cfg, s0, s1));
    [s0, s1] = [s1, `c${i}`];
  });
  nodes.push(
    { id: 'gap', op: 'gap', inputs: [s1] },
    { id: 'classifier', op: 'dense', inputs: ['gap'], units: 'classes' },
  );
  return { version: 1, name: 'darts-supernet', nodes, output: 'classifier' };
}
