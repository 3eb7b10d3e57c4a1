// The two ways a caller gives a histogram, checked and turned into TensorBoard's HistogramProto. Its
// bucket i runs from bucketLimit[i-1] (from min for i = 0) to bucketLimit[i]; the last limit is max.
import { EventInputError, shown } from './errors.js';
import type { HistogramProto } from './event-proto.js';

/**
 * Counts over `counts.length` equal-width bins from `min` to `max` (the values' extremes), as the
 * training diagnostics measure them. `sum` and `sumSquares` default to the bins' centres' (TensorBoard
 * draws only min, max and the buckets).
 */
export type BinnedHistogram = {
  readonly min: number;
  readonly max: number;
  readonly counts: ArrayLike<number>;
  readonly sum?: number;
  readonly sumSquares?: number;
};

/** The values themselves, binned here into `buckets` equal-width bins (30, TensorBoard's default). */
export type ValuesHistogram = { readonly values: ArrayLike<number>; readonly buckets?: number };

export const DEFAULT_BUCKETS = 30;

/** `h` as a HistogramProto; `where` names the record in errors ("<file>: histogram 'w' at step 3"). */
export function histogramProto(h: BinnedHistogram | ValuesHistogram, where: string): HistogramProto {
  return 'values' in h ? fromValues(h, where) : fromBins(h, where);
}

function fromBins(h: BinnedHistogram, where: string): HistogramProto {
  const bad = (field: string, expected: string, got: unknown): EventInputError =>
    new EventInputError(`${where}: ${field} must be ${expected}, got ${shown(got)}`);
  if (!Number.isFinite(h.min)) throw bad('min', 'a finite number', h.min);
  if (!Number.isFinite(h.max) || h.max < h.min) throw bad('max', `a finite number ≥ min (${h.min})`, h.max);
  if (typeof h.counts !== 'object' || h.counts === null || h.counts.length === 0)
    throw bad('counts', 'a non-empty array of counts', h.counts);
  const given = Array.from(h.counts);
  given.forEach((c, i) => {
    if (!Number.isFinite(c) || c < 0) throw bad(`counts[${i}]`, 'a finite number ≥ 0', c);
  });
  for (const field of ['sum', 'sumSquares'] as const) {
    if (h[field] !== undefined && !Number.isFinite(h[field])) throw bad(field, 'a finite number or absent', h[field]);
  }
  const num = given.reduce((a, c) => a + c, 0);
  // One point-wide bucket when every value is the same (zero-width bins would repeat one limit).
  const counts = h.min === h.max ? [num] : given;
  const width = (h.max - h.min) / counts.length;
  const centre = (i: number): number => (h.min === h.max ? h.min : h.min + (i + 0.5) * width);
  return {
    min: h.min,
    max: h.max,
    num,
    sum: h.sum ?? counts.reduce((a, c, i) => a + c * centre(i), 0),
    sumSquares: h.sumSquares ?? counts.reduce((a, c, i) => a + c * centre(i) ** 2, 0),
    bucketLimit: counts.map((_, i) => (i === counts.length - 1 ? h.max : h.min + (i + 1) * width)),
    bucket: counts,
  };
}

function fromValues(h: ValuesHistogram, where: string): HistogramProto {
  const buckets = h.buckets ?? DEFAULT_BUCKETS;
  if (!Number.isSafeInteger(buckets) || buckets < 1)
    throw new EventInputError(`${where}: buckets must be an integer ≥ 1, got ${shown(buckets)}`);
  const { values } = h;
  if (values.length === 0) throw new EventInputError(`${where}: values must not be empty`);
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v))
      throw new EventInputError(`${where}: values[${i}] must be a finite number, got ${shown(v)}`);
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
    sumSquares += v * v;
  }
  const counts = new Array<number>(min === max ? 1 : buckets).fill(0);
  const width = (max - min) / counts.length;
  for (let i = 0; i < values.length; i++) {
    const bin = min === max ? 0 : Math.min(counts.length - 1, Math.floor(((values[i] as number) - min) / width));
    counts[bin] = (counts[bin] as number) + 1;
  }
  return fromBins({ min, max, counts, sum, sumSquares }, where);
}
