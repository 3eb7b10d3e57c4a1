export type { Curve, PruneDecision, PruneInput, Pruner, PrunerEntry } from './pruner.js';
export { PRUNERS, createPruner, findPruner } from './registry.js';
export { percentileOf } from './percentile.js';
