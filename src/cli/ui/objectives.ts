import type { Trial } from '../../core/trial.js';
import type { Objective } from '../../run/config.js';
import { metricOf } from '../../search/objective.js';

/** The trial's values of every objective, or undefined if one is missing (such a trial is not ranked). */
export function objectiveValues(trial: Trial, objectives: readonly Objective[]): number[] | undefined {
  const values = objectives.map((o) => metricOf(trial, o.metric));
  return values.every((v): v is number => v !== undefined) ? values : undefined;
}

/** Negative when `a` is better than `b` under `objective`. */
export function compareValues(a: number, b: number, objective: Objective): number {
  return objective.direction === 'max' ? b - a : a - b;
}

/** Best first by the objective; ties go to the earlier trial. Both trials must have a value. */
export function compareTrials(objective: Objective): (a: Trial, b: Trial) => number {
  return (a, b) => compareValues(metricOf(a, objective.metric) ?? 0, metricOf(b, objective.metric) ?? 0, objective) || a.number - b.number;
}

/** True when `a` is at least as good as `b` on every objective and better on one. */
export function dominates(a: readonly number[], b: readonly number[], objectives: readonly Objective[]): boolean {
  let better = false;
  for (const [i, objective] of objectives.entries()) {
    const c = compareValues(a[i] ?? 0, b[i] ?? 0, objective);
    if (c > 0) return false;
    if (c < 0) better = true;
  }
  return better;
}

/** The front after `trial` joins it: unchanged if it is dominated, else it in and what it dominates out. */
export function paretoInsert(front: readonly Trial[], trial: Trial, objectives: readonly Objective[]): readonly Trial[] {
  const values = objectiveValues(trial, objectives);
  if (values === undefined) return front;
  const valuesOf = (t: Trial) => objectiveValues(t, objectives) ?? [];
  if (front.some((p) => dominates(valuesOf(p), values, objectives))) return front;
  const first = objectives[0];
  const kept = front.filter((p) => !dominates(values, valuesOf(p), objectives));
  return first === undefined ? [...kept, trial] : [...kept, trial].sort(compareTrials(first));
}
