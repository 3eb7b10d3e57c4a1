/**
 * Symmetric per-channel quantization of weights: for each output channel c (the last axis of every
 * kernel layout here: conv [kh, kw, C_in/g, C_out], dwconv [kh, kw, 1, C·m], dense [in, units]),
 * s_c = max|w_c| / (2^(b−1) − 1) and q = clamp(round(w / s_c), −(2^(b−1) − 1), 2^(b−1) − 1), zero
 * point 0 (the narrow int8 range [−127, 127], as TFLite's int8 weights). Rounding is half away from
 * zero (TFLite's std::round). The scales are float32, as stored.
 */

export type PerChannelWeights = {
  readonly q: Int8Array;
  /** One per channel (the last axis). */
  readonly scales: Float32Array;
};

/**
 * The scale of an all-zero channel: any positive value represents it exactly (every q is 0); 1 keeps
 * an int32 bias quantized at s_in·s_c in range.
 */
export const ZERO_CHANNEL_SCALE = 1;

export function quantizePerChannel(values: Float32Array, shape: readonly number[], bits = 8): PerChannelWeights {
  if (!Number.isInteger(bits) || bits < 2 || bits > 8)
    throw new Error(`bits must be an integer in [2, 8], got ${bits}`);
  const channels = shape.at(-1);
  const size = shape.reduce((p, d) => p * d, 1);
  if (channels === undefined || channels < 1 || size !== values.length)
    throw new Error(`shape [${shape.join(', ')}] does not hold ${values.length} values`);
  const qmax = 2 ** (bits - 1) - 1;
  const maxAbs = new Float64Array(channels);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) throw new Error(`weight ${i} is ${v}`);
    const c = i % channels;
    maxAbs[c] = Math.max(maxAbs[c] as number, Math.abs(v));
  }
  const scales = Float32Array.from(maxAbs, (m) => (m === 0 ? ZERO_CHANNEL_SCALE : m / qmax));
  const q = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const r = (values[i] as number) / (scales[i % channels] as number);
    q[i] = Math.min(qmax, Math.max(-qmax, Math.sign(r) * Math.floor(Math.abs(r) + 0.5)));
  }
  return { q, scales };
}

/** q·s_c per element, float32 (what the graph's Cast and Mul compute). */
export function dequantizePerChannel(w: PerChannelWeights): Float32Array {
  const channels = w.scales.length;
  return Float32Array.from(w.q, (v, i) => v * (w.scales[i % channels] as number));
}
