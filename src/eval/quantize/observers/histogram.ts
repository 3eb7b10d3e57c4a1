/**
 * A histogram of a stream with a fixed number of equal bins over a range that grows: when a value
 * falls outside, the range doubles towards it and adjacent bins merge pairwise, so no count moves
 * between bins and nothing is re-read. Its resolution is one bin, `binWidth` = range / bins. The
 * range starts at the first batch's [min, max] and only doubles while a value lies outside, so it
 * stays within a small factor of the data's span (under 2× while the data grows on one side).
 */
import { assertFinite } from './observer.js';

export class GrowingHistogram {
  readonly counts: Float64Array;
  /** Lower edge of bin 0; bin i covers [lo + i·w, lo + (i+1)·w), the last bin also its upper edge. */
  lo = 0;
  hi = 0;
  total = 0;
  /** Exact extremes of the data. */
  min = Infinity;
  max = -Infinity;

  constructor(readonly bins = 2048) {
    if (!Number.isInteger(bins) || bins < 2 || bins % 2 !== 0)
      throw new Error(`bins must be an even integer ≥ 2, got ${bins}`);
    this.counts = new Float64Array(bins);
  }

  get binWidth(): number {
    return (this.hi - this.lo) / this.bins;
  }

  add(values: ArrayLike<number>): void {
    if (values.length === 0) return;
    assertFinite(values);
    let bmin = Infinity;
    let bmax = -Infinity;
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (v < bmin) bmin = v;
      if (v > bmax) bmax = v;
    }
    if (this.total === 0) {
      this.lo = bmin;
      this.hi = bmax > bmin ? bmax : bmin + Math.max(Math.abs(bmin), 1) * 1e-3;
    }
    while (bmax > this.hi) this.grow('up');
    while (bmin < this.lo) this.grow('down');
    for (let i = 0; i < values.length; i++) {
      const b = this.binOfValue(values[i] as number);
      this.counts[b] = (this.counts[b] as number) + 1;
    }
    this.total += values.length;
    this.min = Math.min(this.min, bmin);
    this.max = Math.max(this.max, bmax);
  }

  /** Lower edge of bin i. */
  edge(i: number): number {
    return this.lo + i * this.binWidth;
  }

  /** The bin a value falls in (clamped to the first and last). */
  binOfValue(v: number): number {
    return Math.max(0, Math.min(this.bins - 1, Math.floor((v - this.lo) / this.binWidth)));
  }

  /** The bin holding the k-th smallest value (1-based). */
  binOfRank(k: number): number {
    let seen = 0;
    for (let b = 0; b < this.bins; b++) {
      seen += this.counts[b] as number;
      if (seen >= k) return b;
    }
    return this.bins - 1;
  }

  private grow(direction: 'up' | 'down'): void {
    const half = this.bins / 2;
    const merged = new Float64Array(this.bins);
    const offset = direction === 'up' ? 0 : half;
    for (let j = 0; j < half; j++)
      merged[offset + j] = (this.counts[2 * j] as number) + (this.counts[2 * j + 1] as number);
    this.counts.set(merged);
    const span = this.hi - this.lo;
    if (direction === 'up') this.hi = this.lo + 2 * span;
    else this.lo = this.hi - 2 * span;
  }
}
