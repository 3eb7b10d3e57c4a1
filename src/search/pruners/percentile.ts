import type { OptionValues } from '../../core/options.js';
import {
  definePruner,
  bestOf,
  KEEP,
  shown,
  type Curve,
  type PruneDecision,
  type PruneInput,
  type Pruner,
} from './pruner.js';

/** The options of the percentile rule (Optuna's PercentilePruner), shared with the median pruner. */
export const startupOptions = {
  nStartupTrials: {
    type: 'integer',
    description: 'no pruning until this many trials are COMPLETE',
    min: 0,
    default: 5,
  },
  nWarmupSteps: { type: 'integer', description: 'no pruning at steps (epochs) below this one', min: 0, default: 0 },
  intervalSteps: { type: 'integer', description: 'judge every this many steps after the warm-up', min: 1, default: 1 },
} as const;

const options = {
  percentile: {
    type: 'number',
    description: 'prune below this percentile of the other trials (max; above 100 - it for min)',
    min: 0,
    max: 100,
    default: 25,
  },
  ...startupOptions,
} as const;

/**
 * Optuna's percentile rule: at step s, prune when the trial's best value so far is worse than the
 * `percentile`-th best of the COMPLETE trials' values at step s (linear interpolation, as numpy's
 * percentile). A NaN current value is pruned; no completed value at s keeps the trial.
 */
export function percentileRule(percentile: number, o: OptionValues<typeof startupOptions>, label: string): Pruner {
  return ({ direction, current, completed }: PruneInput): PruneDecision => {
    const last = current[current.length - 1];
    if (last === undefined || completed.length < o.nStartupTrials) return KEEP;
    const step = last.step;
    if (step < o.nWarmupSteps || (step - o.nWarmupSteps) % o.intervalSteps !== 0) return KEEP;
    const best = bestOf(current, direction);
    if (Number.isNaN(best)) return { prune: true, why: `${label}: no finite value up to epoch ${step}` };
    const others = valuesAt(completed, step);
    if (others.length === 0) return KEEP;
    const threshold = percentileOf(others, direction === 'max' ? 100 - percentile : percentile);
    const worse = direction === 'max' ? best < threshold : best > threshold;
    if (!worse) return KEEP;
    return {
      prune: true,
      why: `${label}: best ${shown(best)} is ${direction === 'max' ? 'below' : 'above'} ${shown(threshold)}, the ${label === 'median' ? 'median' : `${shown(percentile)}th percentile`} of ${others.length} complete trials at epoch ${step}`,
    };
  };
}

/** The finite values the curves hold at `step`. */
function valuesAt(curves: readonly Curve[], step: number): number[] {
  const out: number[] = [];
  for (const curve of curves) {
    const point = curve.find((p) => p.step === step);
    if (point !== undefined && !Number.isNaN(point.value)) out.push(point.value);
  }
  return out;
}

/** The q-th percentile (0..100) of `values` with linear interpolation between order statistics (numpy's default). */
export function percentileOf(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = ((sorted.length - 1) * q) / 100;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (at - lo);
}

export const percentilePruner = definePruner({
  name: 'percentile',
  description:
    "prune a trial whose best value so far is worse than a percentile of the complete trials' values at the same epoch (Optuna's PercentilePruner)",
  options,
  create: (o) => percentileRule(o.percentile, o, 'percentile'),
});
