import { definePruner, KEEP, bestOf, shown, type PruneInput } from './pruner.js';

const options = {
  patience: { type: 'integer', description: 'epochs without improvement before a trial is pruned', min: 1, default: 2 },
  minDelta: { type: 'number', description: 'the least change that counts as an improvement', min: 0, default: 0 },
} as const;

/**
 * Prune when the best of the last `patience` values does not improve on the best before them by
 * more than `minDelta` (Optuna's PatientPruner, on its own; its window is one value longer, so it
 * prunes one epoch later). Needs only the trial's own curve.
 */
export const patiencePruner = definePruner({
  name: 'patience',
  description: 'prune a trial whose value has not improved by minDelta for `patience` epochs',
  options,
  create:
    ({ patience, minDelta }) =>
    ({ direction, current }: PruneInput) => {
      if (current.length <= patience) return KEEP;
      const before = bestOf(current.slice(0, -patience), direction);
      const after = bestOf(current.slice(-patience), direction);
      const stalled = direction === 'max' ? before + minDelta >= after : before - minDelta <= after;
      if (!stalled) return KEEP;
      const step = current[current.length - 1]?.step;
      return {
        prune: true,
        why: `patience: best ${shown(after)} of the last ${patience} epochs (to epoch ${step}) does not improve on ${shown(before)} by more than ${shown(minDelta)}`,
      };
    },
});
