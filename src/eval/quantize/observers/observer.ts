/** A calibration observer: it sees an activation's values batch by batch and proposes its range. */

export type Range = { readonly min: number; readonly max: number };

export interface RangeObserver {
  observe(values: ArrayLike<number>): void;
  /** The range to quantize with; throws if nothing was observed. */
  range(): Range;
}

export const OBSERVER_KINDS = ['minmax', 'percentile', 'mse'] as const;
export type ObserverKind = (typeof OBSERVER_KINDS)[number];

/** The observer calibration uses when none is asked for. */
export const DEFAULT_OBSERVER: ObserverKind = 'minmax';

export function assertFinite(values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i] as number))
      throw new Error(`cannot calibrate on a non-finite activation (${values[i]} at ${i})`);
  }
}
