import { OptionsError } from '../../../core/errors.js';
import type { OptionsSchema, OptionValues } from '../../../core/options.js';
import { defineSpace, type SearchSpace } from '../../search-space.js';
import type { DartsConfig } from './genotype.js';
import { DARTS_OP_NAMES, DARTS_PRIMITIVES, type DartsOpName } from './ops.js';
import { DartsSpace } from './space.js';

const options = {
  ops: {
    type: 'subset',
    description: 'the op set of every edge (DARTS names); "none" enters only the one-shot relaxation',
    choices: DARTS_OP_NAMES,
    default: DARTS_PRIMITIVES,
  },
  nodes: { type: 'integer', description: 'intermediate nodes per cell (B)', min: 1, max: 12, default: 4 },
  layers: {
    type: 'integer',
    description: 'cells in the network (L); reduction cells at ⌊L/3⌋ and ⌊2L/3⌋',
    min: 1,
    max: 100,
    default: 8,
  },
  channels: {
    type: 'integer',
    description: 'initial channels (C); the stem has 3C, channels double at each reduction',
    min: 1,
    max: 1024,
    default: 16,
  },
} as const satisfies OptionsSchema;

/** Builds the space from resolved options; an op set of `none` alone fails here, naming what it got. */
export function createDarts(o: OptionValues<typeof options>): DartsSpace {
  const relaxed = o.ops as readonly DartsOpName[];
  const ops = relaxed.filter((op) => op !== 'none');
  if (ops.length === 0) {
    throw new OptionsError(
      `darts: ops must hold at least one op besides "none" (the discrete space never picks none), got [${relaxed.join(', ')}]`,
    );
  }
  const config: DartsConfig = { ops, relaxed, nodes: o.nodes, layers: o.layers, channels: o.channels };
  return new DartsSpace(config);
}

/** The registry entry of the DARTS cell space. */
export const dartsSpace = defineSpace({
  name: 'darts',
  description:
    'DARTS / NASNet cell space: a normal and a reduction cell of B nodes, each summing two ops on two earlier states; L cells, C channels',
  options,
  create: (o): SearchSpace => createDarts(o),
});

export { DARTS_V1, DARTS_V2 } from './genotypes.js';
export { formatGenotype } from './genotype-text.js';
export { canonicalSample, type DartsConfig, type DartsEdge, type DartsSample } from './genotype.js';
export { cellPlan, dartsNetwork, type CellPlan } from './network.js';
export { DARTS_OP_NAMES, DARTS_PRIMITIVES, dartsOpNodes, type DartsOpName, type EdgeSite } from './ops.js';
export { DartsSpace } from './space.js';
