/**
 * The central `percentile` % of the values (two-sided, of the values rather than of |x|, since the
 * affine grid has a zero point and need not be symmetric): [the (n+1−k)-th smallest, the k-th
 * smallest], k = ⌈p/100 · n⌉ (nearest rank). Read from a growing histogram, each end is the outer
 * edge of the bin holding its rank, kept within the exact min and max: off by at most one bin
 * (`binWidth`), and never inside the exact percentile (it clips no more than asked).
 */
import { GrowingHistogram } from './histogram.js';
import type { Range, RangeObserver } from './observer.js';

export class PercentileObserver implements RangeObserver {
  readonly histogram: GrowingHistogram;

  constructor(
    readonly percentile = 99.99,
    bins = 2048,
  ) {
    if (!(percentile > 50 && percentile <= 100)) throw new Error(`percentile must be in (50, 100], got ${percentile}`);
    this.histogram = new GrowingHistogram(bins);
  }

  observe(values: ArrayLike<number>): void {
    this.histogram.add(values);
  }

  range(): Range {
    const h = this.histogram;
    if (h.total === 0) throw new Error('no values observed');
    const { high, low } = percentileRanks(h.total, this.percentile);
    return { min: Math.max(h.min, h.edge(h.binOfRank(low))), max: Math.min(h.max, h.edge(h.binOfRank(high) + 1)) };
  }
}

/** The 1-based ranks of the two ends of the central p % of n values. */
export function percentileRanks(n: number, percentile: number): { low: number; high: number } {
  const high = Math.min(n, Math.max(1, Math.ceil((percentile / 100) * n - 1e-9)));
  return { low: n + 1 - high, high };
}
