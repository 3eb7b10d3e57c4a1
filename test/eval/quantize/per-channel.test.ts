// Symmetric per-channel weight quantization (src/eval/quantize/per-channel.ts): exact properties.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import {
  dequantizePerChannel,
  quantizePerChannel,
  ZERO_CHANNEL_SCALE,
} from '../../../src/eval/quantize/per-channel.js';

const SHAPES: number[][] = [
  [3, 3, 4, 6],
  [5, 5, 1, 8],
  [12, 10],
  [1, 1, 7, 3],
];

function weights(shape: readonly number[], seed: string): Float32Array {
  const rng = new Rng(seed);
  const channels = shape.at(-1) as number;
  // Channels of very different magnitudes: a per-tensor scale would waste most of the small ones' levels.
  return Float32Array.from(
    { length: shape.reduce((p, d) => p * d, 1) },
    (_, i) => rng.normal() * 10 ** ((i % channels) - channels / 2),
  );
}

describe('quantizePerChannel', () => {
  it.each(SHAPES.map((s) => [s.join('×'), s] as const))(
    '%s: scale = max|w_c|/127, |w − deq| ≤ s_c/2, q in [−127, 127]',
    (_, shape) => {
      const w = weights(shape, shape.join());
      const { q, scales } = quantizePerChannel(w, shape);
      const channels = shape.at(-1) as number;
      expect(scales.length).toBe(channels);
      for (let c = 0; c < channels; c++) {
        let maxAbs = 0;
        for (let i = c; i < w.length; i += channels) maxAbs = Math.max(maxAbs, Math.abs(w[i] as number));
        expect(scales[c]).toBe(Math.fround(maxAbs / 127));
      }
      const deq = dequantizePerChannel({ q, scales });
      w.forEach((x, i) => {
        const s = scales[i % channels] as number;
        expect(Math.abs(q[i] as number)).toBeLessThanOrEqual(127);
        // s/2 in real arithmetic; the float32 product q·s adds at most half an ulp of the result.
        expect(Math.abs(x - (deq[i] as number))).toBeLessThanOrEqual(
          s / 2 + Math.abs(deq[i] as number) * 2 ** -24 + s * 2 ** -20,
        );
        expect(deq[i]).toBe(Math.fround((q[i] as number) * s));
      });
      // The largest |w| of each channel maps to ±127.
      for (let c = 0; c < channels; c++) {
        let extreme = 0;
        for (let i = c; i < w.length; i += channels) extreme = Math.max(extreme, Math.abs(q[i] as number));
        expect(extreme).toBe(127);
      }
    },
  );

  it('an all-zero channel gets a usable scale and stays exactly zero; rounding is half away from zero', () => {
    const shape = [2, 3];
    const w = Float32Array.from([0, 0.75, -0.75, 0, 0.375, -0.125]); // channel 0 all zero
    const { q, scales } = quantizePerChannel(w, shape, 3); // 3 bits: q in [−3, 3]
    expect(scales[0]).toBe(ZERO_CHANNEL_SCALE);
    expect(q[0]).toBe(0);
    expect(q[3]).toBe(0);
    expect(Array.from(scales.subarray(1))).toEqual([0.25, 0.25]);
    // 0.375 / 0.25 = 1.5 and −0.125 / 0.25 = −0.5 round away from zero.
    expect(Array.from(q)).toEqual([0, 3, -3, 0, 2, -1]);
    expect(Array.from(dequantizePerChannel({ q, scales })).map((v, i) => (i % 3 === 0 ? v : 0))).toEqual([
      0, 0, 0, 0, 0, 0,
    ]);
  });

  it('rejects a wrong shape or bit width', () => {
    expect(() => quantizePerChannel(new Float32Array(5), [2, 3])).toThrow(/does not hold/);
    expect(() => quantizePerChannel(new Float32Array(6), [2, 3], 9)).toThrow(/bits/);
  });
});
