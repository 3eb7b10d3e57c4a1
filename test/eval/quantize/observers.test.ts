// Calibration observers (src/eval/quantize/observers): on known data, min/max is exact, the
// percentile is within one histogram bin of the exact nearest-rank percentile (and never inside it),
// and the MSE choice's real quantization MSE is no worse than min/max's.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { affineParams, fakeQuantize } from '../../../src/eval/quantize/affine.js';
import {
  GrowingHistogram,
  MinMaxObserver,
  MseObserver,
  PercentileObserver,
  percentileRanks,
} from '../../../src/eval/quantize/observers/index.js';

/** Batches of a distribution, as a stream would bring them (the range widens over time). */
function stream(seed: string, batches: number, size: number, draw: (rng: Rng, b: number) => number): Float32Array[] {
  const rng = new Rng(seed);
  return Array.from({ length: batches }, (_, b) => Float32Array.from({ length: size }, () => draw(rng, b)));
}

const DATA: [string, Float32Array[]][] = [
  ['normal, widening', stream('normal', 20, 2000, (r, b) => r.normal() * (1 + b / 4))],
  ['ReLU-like (half zeros)', stream('relu', 10, 3000, (r) => Math.max(0, r.normal() * 2 + 0.3))],
  [
    'normal with rare outliers',
    stream('outliers', 10, 5000, (r) => (r.next() < 2e-4 ? 40 * (r.next() - 0.5) : r.normal())),
  ],
  ['uniform, negative side grows later', stream('uniform', 8, 1000, (r, b) => (r.next() - (b > 4 ? 0.9 : 0)) * 3)],
];

const sortedOf = (batches: Float32Array[]) => Float64Array.from(batches.flatMap((b) => Array.from(b))).sort();

function mse(values: Float64Array, min: number, max: number, levels = { qmin: 0, qmax: 255 }): number {
  const p = affineParams(min, max, levels.qmin, levels.qmax);
  const back = fakeQuantize(values, p);
  let s = 0;
  values.forEach((v, i) => (s += (v - (back[i] as number)) ** 2));
  return s / values.length;
}

describe('observers on known data', () => {
  it.each(DATA)('%s', (_, batches) => {
    const sorted = sortedOf(batches);
    const n = sorted.length;

    const minmax = new MinMaxObserver();
    batches.forEach((b) => minmax.observe(b));
    expect(minmax.range()).toEqual({ min: sorted[0], max: sorted[n - 1] });

    for (const p of [99, 99.9, 99.99]) {
      const observer = new PercentileObserver(p, 512);
      batches.forEach((b) => observer.observe(b));
      const { low, high } = percentileRanks(n, p);
      const exact = { min: sorted[low - 1] as number, max: sorted[high - 1] as number };
      const got = observer.range();
      const bin = observer.histogram.binWidth;
      expect(got.max).toBeGreaterThanOrEqual(exact.max);
      expect(got.max - exact.max).toBeLessThanOrEqual(bin);
      expect(got.min).toBeLessThanOrEqual(exact.min);
      expect(exact.min - got.min).toBeLessThanOrEqual(bin * (1 + 1e-12));
      // The grown range stays within a small factor of the data's span.
      expect(observer.histogram.hi - observer.histogram.lo).toBeLessThan(
        4 * ((sorted[n - 1] as number) - (sorted[0] as number)),
      );
    }

    const best = new MseObserver();
    batches.forEach((b) => best.observe(b));
    const chosen = best.range();
    const full = minmax.range();
    expect(mse(sorted, chosen.min, chosen.max)).toBeLessThanOrEqual(mse(sorted, full.min, full.max));
  });

  // At 8 bits clipping rarely pays (a clipped tail costs its squared distance, rounding only s²/12),
  // so the MSE choice stays near min/max on the data above; with 16 levels it clips a normal's tails.
  it('with 4-bit levels the MSE choice clips a normal sample well inside min/max and beats it; a uniform range stays whole', () => {
    const normal = stream('normal 4 bit', 5, 4000, (r) => r.normal());
    const levels = { qmin: 0, qmax: 15 };
    const observer = new MseObserver(100, 2048, levels);
    normal.forEach((b) => observer.observe(b));
    const r = observer.range();
    const sorted = sortedOf(normal);
    const [lo, hi] = [sorted[0] as number, sorted[sorted.length - 1] as number];
    expect(r.max).toBeGreaterThan(1.5);
    expect(r.max).toBeLessThan(0.85 * hi);
    expect(mse(sorted, r.min, r.max, levels)).toBeLessThan(0.8 * mse(sorted, lo, hi, levels));

    const uniform = new MseObserver();
    uniform.observe(Float32Array.from({ length: 10000 }, (_, i) => i / 9999));
    expect(uniform.range()).toEqual({ min: 0, max: 1 });
  });

  it('the histogram counts every value once, merging bins as its range doubles', () => {
    const h = new GrowingHistogram(8);
    h.add([0, 1]);
    expect([h.lo, h.hi]).toEqual([0, 1]);
    h.add([3.5]); // doubles twice upwards: [0, 4], bin width 0.5
    expect([h.lo, h.hi, h.binWidth]).toEqual([0, 4, 0.5]);
    h.add([-3]); // doubles downwards once: [−4, 4]
    expect([h.lo, h.hi]).toEqual([-4, 4]);
    expect(h.total).toBe(4);
    expect(Array.from(h.counts).reduce((a, b) => a + b, 0)).toBe(4);
    expect(h.counts[h.binOfValue(3.5)]).toBe(1);
    expect(h.counts[h.binOfValue(-3)]).toBe(1);
    expect(h.counts[4]).toBe(2); // 0 and 1 both in [0, 1) after the merges
    expect(() => h.add([Number.NaN])).toThrow(/non-finite/);
  });
});
