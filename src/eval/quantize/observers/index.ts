export { GrowingHistogram } from './histogram.js';
export { MinMaxObserver } from './min-max.js';
export { MseObserver } from './mse.js';
export { DEFAULT_OBSERVER, OBSERVER_KINDS, type ObserverKind, type Range, type RangeObserver } from './observer.js';
export { PercentileObserver, percentileRanks } from './percentile.js';
import { MinMaxObserver } from './min-max.js';
import { MseObserver } from './mse.js';
import type { ObserverKind, RangeObserver } from './observer.js';
import { PercentileObserver } from './percentile.js';

/** A fresh observer of a kind, with its defaults (percentile 99.99, MSE over 100 candidates, 2048 bins). */
export function createObserver(kind: ObserverKind): RangeObserver {
  return kind === 'minmax'
    ? new MinMaxObserver()
    : kind === 'percentile'
      ? new PercentileObserver()
      : new MseObserver();
}
