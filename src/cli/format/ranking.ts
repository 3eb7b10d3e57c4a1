import type { Trial } from '../../core/trial.js';
import type { Objective } from '../../run/config.js';
import { paretoFront } from '../../search/pareto.js';
import { smallerIsBetter, valueOf } from './metrics.js';

/** How a trial table is ordered: by trial number, or by a metric (best first unless reversed). */
export type SortKey =
  { readonly by: 'number' } | { readonly by: 'metric'; readonly metric: string; readonly direction: 'max' | 'min' };

/** The order of `--sort NAME`: `number`, or a metric whose direction comes from the objectives, else from its kind. */
export function sortKey(name: string | undefined, objectives: readonly Objective[]): SortKey {
  if (name === 'number') return { by: 'number' };
  const metric = name ?? objectives[0]?.metric ?? 'validationAccuracy';
  const objective = objectives.find((o) => o.metric === metric);
  return { by: 'metric', metric, direction: objective?.direction ?? (smallerIsBetter(metric) ? 'min' : 'max') };
}

/** Trials in `key` order: by metric, best first, trials without a value after the others (by number). */
export function sortTrials(trials: readonly Trial[], key: SortKey, reverse = false): Trial[] {
  const byNumber = [...trials].sort((a, b) => a.number - b.number);
  if (key.by === 'number') return reverse ? byNumber.reverse() : byNumber;
  const valued = byNumber.filter((t) => valueOf(t, key.metric) !== undefined);
  const rest = byNumber.filter((t) => valueOf(t, key.metric) === undefined);
  const sign = key.direction === 'max' ? -1 : 1;
  valued.sort(
    (a, b) => sign * ((valueOf(a, key.metric) as number) - (valueOf(b, key.metric) as number)) || a.number - b.number,
  );
  return [...(reverse ? valued.reverse() : valued), ...rest];
}

/** The best COMPLETE trial under the primary objective (ties: the earlier), if any has a value. */
export function bestTrial(trials: readonly Trial[], objectives: readonly Objective[]): Trial | undefined {
  const primary = objectives[0];
  if (primary === undefined) return undefined;
  return sortTrials(trials, { by: 'metric', metric: primary.metric, direction: primary.direction }).find(
    (t) => valueOf(t, primary.metric) !== undefined,
  );
}

/** The non-dominated COMPLETE trials when there are two objectives or more (the search module's NSGA-II sort); else undefined. */
export function paretoTrials(trials: readonly Trial[], objectives: readonly Objective[]): Trial[] | undefined {
  return objectives.length >= 2 ? paretoFront(trials, objectives) : undefined;
}
