/**
 * Affine (asymmetric) quantization of activations: q = clamp(⌊x / s + ½⌋ + z, qmin, qmax) and
 * x̂ = (q − z)·s, with scale s and integer zero point z chosen by TensorFlow's FakeQuant rule (the
 * gemmlowp one): the range is widened to contain 0, s = (max − min) / (qmax − qmin), and z is
 * min's position on the grid rounded to an integer, so 0.0 is exactly representable (z itself) and
 * zero padding costs no error. The parameters are computed in float32, step by step as
 * TensorFlow's kernel does, so a graph's FakeQuantWithMinMaxArgs uses exactly these s and z.
 */

export type AffineParams = {
  readonly scale: number;
  readonly zeroPoint: number;
  readonly qmin: number;
  readonly qmax: number;
};

/** The integer ranges of the two 8-bit affine types. */
export const UINT8 = { qmin: 0, qmax: 255 } as const;
export const INT8 = { qmin: -128, qmax: 127 } as const;

/**
 * The narrowest range quantized: a range that is (nearly) a point, as the activations of a dead
 * ReLU are, is widened to this, so the scale stays positive (FakeQuant also requires min < max).
 */
export const MIN_RANGE_WIDTH = 1e-6;

/** [min, max] widened to contain 0 and to at least MIN_RANGE_WIDTH, in float32. */
export function usableRange(min: number, max: number): [number, number] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) throw new Error(`not a range: [${min}, ${max}]`);
  const lo = Math.fround(Math.min(min, 0));
  const hi = Math.fround(Math.max(max, 0));
  return hi - lo >= MIN_RANGE_WIDTH ? [lo, hi] : [lo, Math.fround(lo + MIN_RANGE_WIDTH)];
}

/** Scale and zero point of [min, max] on the integers [qmin, qmax] (TensorFlow's nudging, in float32). */
export function affineParams(
  min: number,
  max: number,
  qmin: number = UINT8.qmin,
  qmax: number = UINT8.qmax,
): AffineParams {
  if (!Number.isInteger(qmin) || !Number.isInteger(qmax) || qmin >= qmax)
    throw new Error(`not an integer range: [${qmin}, ${qmax}]`);
  const f = Math.fround;
  const [lo, hi] = usableRange(min, max);
  const scale = f(f(hi - lo) / (qmax - qmin));
  const zeroFromMin = f(qmin - f(lo / scale));
  const zeroPoint = zeroFromMin < qmin ? qmin : zeroFromMin > qmax ? qmax : Math.round(zeroFromMin);
  return { scale, zeroPoint, qmin, qmax };
}

/** The real range the grid covers: [(qmin − z)·s, (qmax − z)·s]; values outside clamp to its ends. */
export function gridRange(p: AffineParams): [number, number] {
  return [Math.fround((p.qmin - p.zeroPoint) * p.scale), Math.fround((p.qmax - p.zeroPoint) * p.scale)];
}

/** The integers of `values` (rounded half up, as FakeQuant rounds), Uint8Array for qmin ≥ 0, else Int8Array (8-bit ranges only). */
export function quantizeAffine(values: ArrayLike<number>, p: AffineParams): Uint8Array | Int8Array {
  if (p.qmin < -128 || p.qmax > 255 || (p.qmin < 0 && p.qmax > 127))
    throw new Error(`[${p.qmin}, ${p.qmax}] is not an 8-bit range`);
  const out = p.qmin >= 0 ? new Uint8Array(values.length) : new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = quantizeOne(values[i] as number, p);
  return out;
}

export function quantizeOne(x: number, p: AffineParams): number {
  return Math.min(p.qmax, Math.max(p.qmin, Math.floor(x / p.scale + 0.5) + p.zeroPoint));
}

/** (q − z)·s, float32. */
export function dequantizeAffine(q: ArrayLike<number>, p: AffineParams): Float32Array {
  return Float32Array.from(q, (v) => (v - p.zeroPoint) * p.scale);
}

/** Quantize then dequantize: what an 8-bit tensor holds, in float (FakeQuant's output). */
export function fakeQuantize(values: ArrayLike<number>, p: AffineParams): Float32Array {
  return Float32Array.from(values, (x) => (quantizeOne(x, p) - p.zeroPoint) * p.scale);
}
