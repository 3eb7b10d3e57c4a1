// Affine activation quantization (src/eval/quantize/affine.ts): exact properties, no tolerance but
// float32 rounding (1 ulp of the value) where a float32 product is compared with a real bound.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import {
  affineParams,
  dequantizeAffine,
  fakeQuantize,
  gridRange,
  INT8,
  MIN_RANGE_WIDTH,
  quantizeAffine,
  UINT8,
} from '../../../src/eval/quantize/affine.js';

const ulp = (x: number) => Math.max(Math.abs(x), 1e-30) * 2 ** -23;

const RANGES: [number, number][] = [
  [-1, 1],
  [-0.37, 2.91],
  [0, 6],
  [-5.5, 0],
  [0.5, 3] /* widened to [0, 3] */,
  [-3, -0.25] /* to [-3, 0] */,
  [-1e-3, 7e-4],
  [-123.4, 17.2],
];

describe('affineParams', () => {
  it.each(RANGES)('[%f, %f]: integral zero point, 0 exactly representable, range contains 0', (min, max) => {
    for (const { qmin, qmax } of [UINT8, INT8]) {
      const p = affineParams(min, max, qmin, qmax);
      expect(Number.isInteger(p.zeroPoint)).toBe(true);
      expect(p.zeroPoint).toBeGreaterThanOrEqual(qmin);
      expect(p.zeroPoint).toBeLessThanOrEqual(qmax);
      expect(fakeQuantize([0], p)[0]).toBe(0);
      expect(quantizeAffine([0], p)[0]).toBe(p.zeroPoint);
      const [lo, hi] = gridRange(p);
      expect(lo).toBeLessThanOrEqual(0);
      expect(hi).toBeGreaterThanOrEqual(0);
      // The scale is (max' − min') / (qmax − qmin) of the widened range, and the grid moves by under one step.
      const [a, b] = [Math.min(min, 0), Math.max(max, 0)];
      expect(p.scale).toBeCloseTo((b - a) / (qmax - qmin), 6);
      expect(Math.abs(lo - a)).toBeLessThanOrEqual(p.scale / 2 + ulp(a));
    }
  });

  it('int8 and uint8 share the scale; the zero points differ by 128', () => {
    for (const [min, max] of RANGES) {
      const u = affineParams(min, max, UINT8.qmin, UINT8.qmax);
      const s = affineParams(min, max, INT8.qmin, INT8.qmax);
      expect(s.scale).toBe(u.scale);
      expect(s.zeroPoint).toBe(u.zeroPoint - 128);
    }
  });

  it('a point range gets the minimum width; bad ranges throw', () => {
    const p = affineParams(0, 0);
    expect(p.scale).toBeCloseTo(MIN_RANGE_WIDTH / 255, 12);
    expect(p.zeroPoint).toBe(0);
    expect(() => affineParams(1, 0)).toThrow(/not a range/);
    expect(() => affineParams(0, Number.NaN)).toThrow(/not a range/);
    expect(() => affineParams(0, 1, 5, 5)).toThrow(/integer range/);
  });
});

describe('quantize / dequantize', () => {
  it.each(RANGES)(
    '[%f, %f]: |x − deq(q(x))| ≤ s/2 inside the grid range; outside it clamps to the range end',
    (min, max) => {
      const rng = new Rng(`affine ${min} ${max}`);
      for (const { qmin, qmax } of [UINT8, INT8]) {
        const p = affineParams(min, max, qmin, qmax);
        const [lo, hi] = gridRange(p);
        const inside = Float32Array.from({ length: 5000 }, () => lo + (hi - lo) * rng.next());
        const back = fakeQuantize(inside, p);
        inside.forEach((x, i) => expect(Math.abs(x - (back[i] as number))).toBeLessThanOrEqual(p.scale / 2 + ulp(x)));
        const span = hi - lo;
        const outside = Float32Array.from({ length: 200 }, (_, i) =>
          i % 2 === 0 ? lo - span * rng.next() - p.scale : hi + span * rng.next() + p.scale,
        );
        const clamped = fakeQuantize(outside, p);
        outside.forEach((x, i) => expect(clamped[i]).toBe(Math.fround(x < lo ? lo : hi)));
        // Integers within the range, and dequantization is (q − z)·s.
        const q = quantizeAffine(inside, p);
        expect(q instanceof (qmin < 0 ? Int8Array : Uint8Array)).toBe(true);
        const deq = dequantizeAffine(q, p);
        expect(Array.from(deq)).toEqual(Array.from(back));
      }
    },
  );

  it('grid points are fixed points', () => {
    const p = affineParams(-0.37, 2.91);
    const grid = Array.from({ length: 256 }, (_, q) => q);
    expect(Array.from(quantizeAffine(dequantizeAffine(grid, p), p))).toEqual(grid);
  });
});
