import { percentileRule, startupOptions } from './percentile.js';
import { definePruner } from './pruner.js';

export const medianPruner = definePruner({
  name: 'median',
  description:
    "prune a trial whose best value so far is worse than the median of the complete trials' values at the same epoch (Optuna's MedianPruner)",
  options: startupOptions,
  create: (o) => percentileRule(50, o, 'median'),
});
