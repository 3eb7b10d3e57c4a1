import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs-node';
import { describe, expect, it } from 'vitest';
import { loadTf } from '../../../src/backend/tf.js';
import { clipCoefficient, globalNorm, scaleGradients, squaredNorms } from '../../../src/eval/train/clip.js';
import { correctCount, softmaxCrossEntropy } from '../../../src/eval/train/loss.js';

const tf = loadTf();

function withTensors<T>(logits: number[][], labels: number[], f: (z: Tensor2D, y: Tensor1D) => T): T {
  const z = tf.tensor2d(logits);
  const y = tf.tensor1d(labels, 'int32');
  try {
    return f(z, y);
  } finally {
    tf.dispose([z, y]);
  }
}

const value = (f: () => import('@tensorflow/tfjs-node').Scalar) => {
  const s = f();
  const v = s.dataSync()[0] as number;
  s.dispose();
  return v;
};

describe('softmax cross-entropy from logits', () => {
  // Row 1: logits (1, 2, 3), label 2. log-sum-exp = 3 + ln(1 + e^-1 + e^-2) = 3.4076059644443806,
  // so log p = (−2.4076059644443806, −1.4076059644443806, −0.4076059644443806).
  // Row 2: logits (0, 0, 0), label 0: log p = −ln 3 = −1.0986122886681098 for every class.
  const logits = [
    [1, 2, 3],
    [0, 0, 0],
  ];
  const labels = [2, 0];

  it('without smoothing is the mean of −log p[label]: (0.4076059644443806 + 1.0986122886681098) / 2', () => {
    const loss = withTensors(logits, labels, (z, y) => value(() => softmaxCrossEntropy(z, y)));
    expect(loss).toBeCloseTo(0.7531091265562452, 6);
  });

  it('with ε = 0.1 targets 1 − ε + ε/K on the label and ε/K elsewhere', () => {
    // Row 1: 0.9333… · 0.40760596 + 0.0333… · (2.40760596 + 1.40760596) = 0.38043223 + 0.12717373 = 0.5076059644443806
    // Row 2: every class has −log p = ln 3, and the targets sum to 1: 1.0986122886681098.
    const loss = withTensors(logits, labels, (z, y) => value(() => softmaxCrossEntropy(z, y, 0.1)));
    expect(loss).toBeCloseTo((0.5076059644443806 + 1.0986122886681098) / 2, 6);
  });

  it('counts rows whose arg max is the label', () => {
    const n = withTensors(
      [
        [1, 2, 3],
        [5, 0, 0],
        [0, 9, 1],
      ],
      [2, 1, 1],
      (z, y) => value(() => correctCount(z, y)),
    );
    expect(n).toBe(2);
  });
});

describe('global-norm gradient clipping (PyTorch clip_grad_norm_)', () => {
  it('computes the global norm over all gradients: ‖(3, 4)‖ and ‖(12)‖ give 13', () => {
    expect(globalNorm([25, 144])).toBe(13);
    expect(clipCoefficient([25, 144], 6.5)).toBeCloseTo(6.5 / (13 + 1e-6), 15);
    expect(clipCoefficient([25, 144], 20)).toBe(1);
  });

  it('scales every gradient by max_norm / (norm + 1e-6), so the clipped global norm is max_norm', () => {
    const grads = [tf.tensor1d([3, 4]), tf.tensor1d([12]), undefined];
    const norms = squaredNorms(grads);
    const sq = Array.from(norms.dataSync());
    expect(sq).toEqual([25, 144, 0]);
    const scaled = scaleGradients(grads, clipCoefficient(sq, 6.5));
    const values = scaled.map((g) => (g === undefined ? [] : Array.from(g.dataSync())));
    expect(values[0]?.[0]).toBeCloseTo(1.5, 6);
    expect(values[0]?.[1]).toBeCloseTo(2, 6);
    expect(values[1]?.[0]).toBeCloseTo(6, 6);
    expect(values[2]).toEqual([]);
    tf.dispose([norms, ...grads.filter((g) => g !== undefined), ...scaled.filter((g) => g !== undefined)]);
  });
});
