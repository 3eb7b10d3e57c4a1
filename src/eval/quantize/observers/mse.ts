/**
 * The clipping range that minimises the quantization mean squared error: candidates α·[min, max]
 * for α = 1, (g−1)/g, …, 1/g (g = `grid`; 0 stays inside every candidate), each scored on the
 * histogram as if a bin's values were spread evenly over it: a value inside the candidate's grid
 * range costs s²/12 (uniform rounding error), one outside its squared distance to the nearer end
 * (clipping). Exact zeros (ReLU outputs, often half the values) cost nothing, 0 being on every grid.
 * α = 1 is min/max's range, so the choice scores no worse than min/max.
 */
import { affineParams, gridRange, UINT8 } from '../affine.js';
import { GrowingHistogram } from './histogram.js';
import type { Range, RangeObserver } from './observer.js';

export class MseObserver implements RangeObserver {
  readonly histogram: GrowingHistogram;
  private zeros = 0;

  constructor(
    readonly grid = 100,
    bins = 2048,
    private readonly levels: { readonly qmin: number; readonly qmax: number } = UINT8,
  ) {
    if (!Number.isInteger(grid) || grid < 1) throw new Error(`grid must be a positive integer, got ${grid}`);
    this.histogram = new GrowingHistogram(bins);
  }

  observe(values: ArrayLike<number>): void {
    this.histogram.add(values);
    for (let i = 0; i < values.length; i++) if (values[i] === 0) this.zeros++;
  }

  range(): Range {
    const h = this.histogram;
    if (h.total === 0) throw new Error('no values observed');
    let best = { min: h.min, max: h.max };
    let bestError = this.expectedError(best);
    for (let k = this.grid - 1; k >= 1; k--) {
      const candidate = { min: (h.min * k) / this.grid, max: (h.max * k) / this.grid };
      const error = this.expectedError(candidate);
      if (error < bestError) [best, bestError] = [candidate, error];
    }
    return best;
  }

  /** Histogram estimate of the mean squared quantization error with range r. */
  expectedError(r: Range): number {
    const h = this.histogram;
    const p = affineParams(r.min, r.max, this.levels.qmin, this.levels.qmax);
    const [lo, hi] = gridRange(p);
    const rounding = (p.scale * p.scale) / 12;
    const zeroBin = this.zeros > 0 ? h.binOfValue(0) : -1;
    let sum = 0;
    for (let b = 0; b < h.bins; b++) {
      const count = (h.counts[b] as number) - (b === zeroBin ? this.zeros : 0);
      if (count <= 0) continue;
      // The bin's values, spread evenly over [u, v] (the data's extremes bound the outer bins).
      const u = Math.max(h.edge(b), h.min);
      const v = Math.min(h.edge(b + 1), h.max);
      if (v <= u) {
        sum += count * (u < lo ? (lo - u) ** 2 : u > hi ? (u - hi) ** 2 : rounding);
        continue;
      }
      const density = count / (v - u);
      if (u < lo) sum += (density * ((lo - u) ** 3 - (lo - Math.min(v, lo)) ** 3)) / 3;
      if (v > hi) sum += (density * ((v - hi) ** 3 - (Math.max(u, hi) - hi) ** 3)) / 3;
      const inside = Math.min(v, hi) - Math.max(u, lo);
      if (inside > 0) sum += density * inside * rounding;
    }
    return sum / h.total;
  }
}
