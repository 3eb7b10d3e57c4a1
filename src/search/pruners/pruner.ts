import type { OptionsSchema, OptionValues } from '../../core/options.js';

/** One trial's intermediate values: the value reported at each step (epoch), in step order. */
export type Curve = readonly { readonly step: number; readonly value: number }[];

/** Another trial's curve, with its number (Hyperband's bracket is picked from it). */
export interface NumberedCurve {
  readonly number: number;
  readonly curve: Curve;
}

/**
 * What a pruner decides from: the curve of the trial being judged up to its latest step, the curves
 * of the finished (COMPLETE) trials, and which way is better; for the rung pruners (successive
 * halving, Hyperband) also the judged trial's number and every other trial that reported epochs
 * (COMPLETE, PRUNED or still RUNNING); for the curve pruner the epoch the trial trains to. Plain
 * data, so a decision is a pure function of the stored epochs and a resumed search decides the same.
 */
export interface PruneInput {
  readonly direction: 'max' | 'min';
  readonly current: Curve;
  readonly completed: readonly Curve[];
  readonly number: number;
  readonly others: readonly NumberedCurve[];
  readonly finalStep: number;
}

/** Prune, with why (a sentence for the record) and, for the rung pruners, the rung it was stopped at; or keep training. */
export type PruneDecision =
  { readonly prune: true; readonly why: string; readonly rung?: number } | { readonly prune: false };

/** A pruning rule (Optuna's pruners): judges the current trial at its latest step. */
export type Pruner = (input: PruneInput) => PruneDecision;

/** A registered pruner: its name, a one-line description, its options and its constructor. */
export interface PrunerEntry<O extends OptionsSchema = OptionsSchema, N extends string = string> {
  readonly name: N;
  readonly description: string;
  readonly options: O;
  create(options: OptionValues<O>): Pruner;
}

/** Returns its argument, typed with its literal name and options schema (a config's `pruner` is typed from them). */
export function definePruner<const N extends string, const O extends OptionsSchema>(
  entry: PrunerEntry<O, N>,
): PrunerEntry<O, N> {
  return entry;
}

export const KEEP: PruneDecision = { prune: false };

/** The best value of a curve so far (NaN values ignored; NaN when none is finite). */
export function bestOf(curve: Curve, direction: 'max' | 'min'): number {
  const values = curve.map((p) => p.value).filter((v) => !Number.isNaN(v));
  if (values.length === 0) return Number.NaN;
  return direction === 'max' ? Math.max(...values) : Math.min(...values);
}

/** A number as the record shows it. */
export function shown(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}
