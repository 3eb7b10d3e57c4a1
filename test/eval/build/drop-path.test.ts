// The eager drop-path layer (src/eval/build/layers/drop-path.ts) on a batch of 4,000 examples: in
// training each example is zeroed whole or scaled by 1 / (1 − rate), about rate · N of them zeroed,
// the same mask for one seed and another for another seed; the gradient is zero on dropped rows and
// scaled on kept ones; at inference and at rate 0 it is the identity.
import type { Tensor } from '@tensorflow/tfjs-node';
import { describe, expect, it } from 'vitest';
import { loadTf } from '../../../src/backend/tf.js';
import { nasLayers } from '../../../src/eval/build/layers/index.js';

const tf = loadTf();
const N = 4000;
const ROW = 3 * 2 * 4;
const RATE = 0.25;

/** Each example's values: all equal to `scale` or all 0 (else it throws); returns the dropped rows. */
function droppedRows(y: Float32Array, scale: number): number[] {
  const dropped: number[] = [];
  for (let r = 0; r < N; r++) {
    const row = Array.from(y.subarray(r * ROW, (r + 1) * ROW));
    if (row.every((v) => v === 0)) dropped.push(r);
    else if (!row.every((v) => Math.abs(v - scale) < 1e-6))
      throw new Error(`row ${r} is neither dropped nor scaled: ${row.join(', ')}`);
  }
  return dropped;
}

/** The layer applied to x (training or not) with a seed; its output's values. */
function apply(rate: number, x: Tensor, training: boolean, seed?: number): Float32Array {
  const layer = new (nasLayers().NasDropPath)({ name: 'dp', rate, ...(seed === undefined ? {} : { seed }) });
  return tf.tidy(() => (layer.apply(x, { training }) as Tensor).dataSync() as Float32Array);
}

describe('drop_path on the eager engine', () => {
  it('training: whole examples dropped at the rate (binomial, within 4σ), the kept ones scaled by 1/(1−rate); seeded', () => {
    const ones = tf.ones([N, 3, 2, 4]);
    try {
      const a = droppedRows(apply(RATE, ones, true, 17), 1 / (1 - RATE));
      const sigma = Math.sqrt(N * RATE * (1 - RATE));
      expect(Math.abs(a.length - N * RATE)).toBeLessThan(4 * sigma);
      expect(droppedRows(apply(RATE, ones, true, 17), 1 / (1 - RATE))).toEqual(a);
      expect(droppedRows(apply(RATE, ones, true, 18), 1 / (1 - RATE))).not.toEqual(a);
    } finally {
      ones.dispose();
    }
  });

  it('inference and rate 0: the identity, value for value', () => {
    const x = tf.randomNormal([N, 3, 2, 4], 0, 1, 'float32', 5);
    try {
      const want = x.dataSync() as Float32Array;
      expect(apply(RATE, x, false, 17)).toEqual(want);
      expect(apply(0, x, true, 17)).toEqual(want);
    } finally {
      x.dispose();
    }
  });

  it('gradient: zero on every dropped example, dy / (1 − rate) on the kept ones', () => {
    const layer = new (nasLayers().NasDropPath)({ name: 'dp', rate: RATE, seed: 17 });
    const x = tf.randomNormal([N, 3, 2, 4], 0, 1, 'float32', 6);
    const dy = tf.randomNormal([N, 3, 2, 4], 0, 1, 'float32', 7);
    const before = tf.memory().numTensors;
    try {
      const [y, dx] = tf.tidy(() => {
        const out = layer.apply(x, { training: true }) as Tensor;
        const grad = tf.grad((input: Tensor) => tf.sum(tf.mul(layer.apply(input, { training: true }) as Tensor, dy)))(
          x,
        );
        return [out.dataSync() as Float32Array, grad.dataSync() as Float32Array];
      });
      const g = dy.dataSync() as Float32Array;
      const xs = x.dataSync() as Float32Array;
      let dropped = 0;
      let worst = 0;
      let nonZeroOnDropped = 0;
      for (let r = 0; r < N; r++) {
        const kept = (y as Float32Array)[r * ROW] !== 0;
        if (!kept) dropped++;
        for (let i = r * ROW; i < (r + 1) * ROW; i++) {
          const [yi, dxi] = [(y as Float32Array)[i] as number, (dx as Float32Array)[i] as number];
          if (!kept && (yi !== 0 || dxi !== 0)) nonZeroOnDropped++;
          if (kept)
            worst = Math.max(
              worst,
              Math.abs(yi - (xs[i] as number) / (1 - RATE)),
              Math.abs(dxi - (g[i] as number) / (1 - RATE)),
            );
        }
      }
      expect(dropped).toBeGreaterThan(0);
      expect(nonZeroOnDropped).toBe(0);
      expect(worst).toBeLessThan(1e-6);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      tf.dispose([x, dy]);
    }
  });
});
