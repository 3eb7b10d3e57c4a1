import type { Curve, NumberedCurve, PruneInput } from '../../../src/search/pruners/index.js';

/** A curve with one value per epoch from epoch 1. */
export const curve = (...values: number[]): Curve => values.map((value, i) => ({ step: i + 1, value }));

/** The input fields the median, percentile and patience pruners ignore (trial number, other trials, last epoch). */
export const NO_CONTEXT: Pick<PruneInput, 'number' | 'others' | 'finalStep'> = { number: 0, others: [], finalStep: 4 };

/** Other trials numbered from `first`, one per curve. */
export const numbered = (curves: readonly Curve[], first = 0): NumberedCurve[] =>
  curves.map((c, i) => ({ number: first + i, curve: c }));
