/**
 * Weights in tfjs's own quantized encoding, as tfjs-converter's `--quantize_uint8` writes them: one
 * byte per value, one affine grid per tensor, `quantization: { dtype: 'uint8', min, scale }` in the
 * weights manifest. tfjs dequantizes them when the model loads (q·scale + min, tfjs-core io_utils
 * `decodeWeights`), so the graph runs float32 weights: the saving is size only. The grid is
 * TensorFlow's affine one (src/eval/quantize/affine.ts), so 0 is exactly representable: zero weights
 * stay 0.
 */
import { affineParams, quantizeAffine } from '../quantize/affine.js';

export type Uint8Quantization = { readonly dtype: 'uint8'; readonly min: number; readonly scale: number };

/** The bytes of `values` on their tensor's uint8 grid, and the manifest entry that decodes them. */
export function quantizeUint8(values: Float32Array): { q: Uint8Array; quantization: Uint8Quantization } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const p = affineParams(values.length === 0 ? 0 : lo, values.length === 0 ? 0 : hi);
  return {
    q: quantizeAffine(values, p) as Uint8Array,
    quantization: { dtype: 'uint8', min: -p.zeroPoint * p.scale, scale: p.scale },
  };
}

/** The float32 values tfjs decodes from `q`: q·scale + min, as decodeWeights computes it. */
export function dequantizeUint8(q: Uint8Array, quantization: Uint8Quantization): Float32Array {
  return Float32Array.from(q, (v) => v * quantization.scale + quantization.min);
}
