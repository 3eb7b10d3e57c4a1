export type { Curve, NumberedCurve, PruneDecision, PruneInput, Pruner, PrunerEntry } from './pruner.js';
export { PRUNERS, createPruner, findPruner } from './registry.js';
export { percentileOf } from './percentile.js';
export { bracketOf, bracketShares } from './hyperband.js';
export { fitPowerLaw, predictAt, type PowerLaw } from './power-law-fit.js';
