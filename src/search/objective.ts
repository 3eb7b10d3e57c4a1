import type { Trial } from '../core/trial.js';

/** One objective: a metric of the outcome (validationAccuracy, …) or a cost figure (macs, params, …), maximised or minimised. */
export type Objective = { readonly metric: string; readonly direction: 'max' | 'min' };

/**
 * The raw value of `metric` for a COMPLETE trial (outcome metrics first, then cost figures);
 * undefined otherwise, and when the value is not finite. The one lookup of a trial's objective
 * value: strategies, the dashboard, `nas show`, the report and the export README all read it here.
 */
export function metricOf(trial: Trial, metric: string): number | undefined {
  if (trial.state !== 'COMPLETE' || trial.outcome === undefined) return undefined;
  const value =
    trial.outcome.metrics[metric] ?? (trial.outcome.cost as Readonly<Record<string, number | undefined>>)[metric];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The trial's value for the objective, signed so that larger is better; undefined when unknown or not finite. */
export function scoreOf(trial: Trial, objective: Objective): number | undefined {
  const v = metricOf(trial, objective.metric);
  return v === undefined ? undefined : objective.direction === 'max' ? v : -v;
}

/** Every objective's score (larger is better), or undefined if any is missing. */
export function scoresOf(trial: Trial, objectives: readonly Objective[]): number[] | undefined {
  const out: number[] = [];
  for (const o of objectives) {
    const s = scoreOf(trial, o);
    if (s === undefined) return undefined;
    out.push(s);
  }
  return out;
}

/** The primary (first) objective of a strategy context; throws when the list is empty. */
export function primary(objectives: readonly Objective[]): Objective {
  const first = objectives[0];
  if (first === undefined) throw new RangeError('a strategy needs at least one objective, got none');
  return first;
}
