import type { Tensor, Variable } from '@tensorflow/tfjs-node';
import { afterEach, describe, expect, it } from 'vitest';
import { loadTf } from '../../../src/backend/tf.js';
import { createOptimizer, decays, type OptimizerConfig, type Param } from '../../../src/eval/train/optimizers.js';
import { referenceAdam, referenceSgd } from './reference-optim.js';

const tf = loadTf();

// A quadratic f(θ) = ½ Σ a_i (θ_i − c_i)², gradient a ⊙ (θ − c), on four weights; the learning rate
// changes every step, as under a schedule.
const A = [1, 0.5, 2, 0.25];
const C = [0.3, -1, 0.5, 2];
const START = [1, 0.2, -0.7, 0.4];
const LRS = [0.1, 0.08, 0.05, 0.12, 0.03, 0.07];
const grad = (theta: readonly number[]) => theta.map((t, i) => (A[i] as number) * (t - (C[i] as number)));

let created: Variable[] = [];
afterEach(() => {
  for (const v of created) v.dispose();
  created = [];
});

/** Runs the tensor optimizer on the quadratic; `decay` says which of the two weight tensors decays. */
function runTensor(config: OptimizerConfig, decay: [boolean, boolean] = [true, true]): number[] {
  const vars = [tf.variable(tf.tensor1d(START.slice(0, 2))), tf.variable(tf.tensor1d(START.slice(2)))];
  created.push(...vars);
  const params: Param[] = vars.map((variable, i) => ({ variable, decay: decay[i] as boolean }));
  const optimizer = createOptimizer(config, params);
  for (const lr of LRS) {
    const theta = vars.flatMap((v) => Array.from(v.dataSync()));
    const g = grad(theta);
    const grads: Tensor[] = [tf.tensor1d(g.slice(0, 2)), tf.tensor1d(g.slice(2))];
    optimizer.step(grads, lr);
    tf.dispose(grads);
  }
  optimizer.dispose();
  return vars.flatMap((v) => Array.from(v.dataSync()));
}

/** The same steps with the float64 reference, weight by weight. */
function runReference(
  make: () => (theta: number, grad: number, lr: number) => number,
  decayOff: (i: number) => boolean = () => false,
  makeOff?: () => (theta: number, grad: number, lr: number) => number,
): number[] {
  const rules = START.map((_, i) => (decayOff(i) && makeOff ? makeOff() : make()));
  let theta = [...START];
  for (const lr of LRS) {
    const g = grad(theta);
    theta = theta.map((t, i) => (rules[i] as (a: number, b: number, c: number) => number)(t, g[i] as number, lr));
  }
  return theta;
}

function expectClose(actual: number[], expected: number[]) {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - (expected[i] as number))).toBeLessThan(1e-6));
}

describe('SGD', () => {
  it('two Nesterov steps on ½θ² match the hand computation (θ: 1 → 0.81 → 0.5751)', () => {
    const v = tf.variable(tf.tensor1d([1]));
    created.push(v);
    const opt = createOptimizer({ kind: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 0 }, [
      { variable: v, decay: true },
    ]);
    for (let i = 0; i < 2; i++) {
      const g = tf.tensor1d(v.dataSync());
      opt.step([g], 0.1);
      g.dispose();
      expect(v.dataSync()[0]).toBeCloseTo(i === 0 ? 0.81 : 0.5751, 6);
    }
    opt.dispose();
  });

  const cases: [string, { momentum: number; nesterov: boolean; weightDecay: number; decoupled: boolean }][] = [
    ['plain (no momentum)', { momentum: 0, nesterov: false, weightDecay: 0, decoupled: false }],
    ['momentum 0.9', { momentum: 0.9, nesterov: false, weightDecay: 0, decoupled: false }],
    ['Nesterov 0.9', { momentum: 0.9, nesterov: true, weightDecay: 0, decoupled: false }],
    ['Nesterov, L2 decay 0.05', { momentum: 0.9, nesterov: true, weightDecay: 0.05, decoupled: false }],
    ['momentum, decoupled decay 0.05', { momentum: 0.9, nesterov: false, weightDecay: 0.05, decoupled: true }],
  ];
  it.each(cases)('%s matches the PyTorch reference within 1e-6 over six steps', (_, o) => {
    expectClose(
      runTensor({ kind: 'sgd', ...o }),
      runReference(() => referenceSgd(o)),
    );
  });

  it('leaves a weight that does not decay undecayed (and its momentum buffer without λ)', () => {
    const o = { momentum: 0.9, nesterov: true, weightDecay: 0.05, decoupled: false };
    const expected = runReference(
      () => referenceSgd(o),
      (i) => i >= 2,
      () => referenceSgd({ ...o, weightDecay: 0 }),
    );
    expectClose(runTensor({ kind: 'sgd', ...o }, [true, false]), expected);
  });

  it('holds one slot per weight with momentum, none without, and frees them on dispose', () => {
    const v = tf.variable(tf.zeros([3]));
    created.push(v);
    const before = tf.memory().numTensors;
    const withMomentum = createOptimizer({ kind: 'sgd', momentum: 0.9 }, [{ variable: v, decay: false }]);
    const without = createOptimizer({ kind: 'sgd', momentum: 0, nesterov: false }, [{ variable: v, decay: false }]);
    expect([withMomentum.slotCount, without.slotCount]).toEqual([1, 0]);
    expect(tf.memory().numTensors).toBe(before + 1);
    withMomentum.dispose();
    without.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('Adam and AdamW', () => {
  it('one Adam step on ½θ² moves θ by lr (bias correction): 1 → 0.9', () => {
    const v = tf.variable(tf.tensor1d([1]));
    created.push(v);
    const opt = createOptimizer({ kind: 'adam' }, [{ variable: v, decay: true }]);
    const g = tf.tensor1d([1]);
    opt.step([g], 0.1);
    g.dispose();
    expect(v.dataSync()[0]).toBeCloseTo(0.9, 6);
    expect(opt.slotCount).toBe(2);
    opt.dispose();
  });

  const base = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
  it('Adam matches the PyTorch reference within 1e-6', () => {
    expectClose(
      runTensor({ kind: 'adam', weightDecay: 0 }),
      runReference(() => referenceAdam({ ...base, weightDecay: 0, decoupled: false })),
    );
  });
  it('Adam with L2 decay 0.1 (λθ added to the gradient) matches the reference', () => {
    expectClose(
      runTensor({ kind: 'adam', weightDecay: 0.1 }),
      runReference(() => referenceAdam({ ...base, weightDecay: 0.1, decoupled: false })),
    );
  });
  it('AdamW with decoupled decay 0.1, betas (0.8, 0.99), on kernels only, matches the reference', () => {
    const o = { beta1: 0.8, beta2: 0.99, epsilon: 1e-8, weightDecay: 0.1, decoupled: true };
    const expected = runReference(
      () => referenceAdam(o),
      (i) => i < 2,
      () => referenceAdam({ ...o, weightDecay: 0 }),
    );
    expectClose(runTensor({ kind: 'adamw', beta1: 0.8, beta2: 0.99, weightDecay: 0.1 }, [false, true]), expected);
  });
  it('AdamW and Adam differ once decay is on (decoupled is not L2)', () => {
    const adam = runTensor({ kind: 'adam', weightDecay: 0.1 });
    const adamw = runTensor({ kind: 'adamw', weightDecay: 0.1 });
    expect(Math.max(...adam.map((a, i) => Math.abs(a - (adamw[i] as number))))).toBeGreaterThan(1e-3);
  });
});

describe('which weights decay', () => {
  it("'kernels': names ending with kernel (conv, depthwise, pointwise, dense), not biases or BatchNorm γ/β", () => {
    const names = [
      'c1/kernel',
      'c1/pointwise_kernel',
      'c1/kernel_1',
      'logits/kernel',
      'c1/bias',
      'bn1/gamma',
      'bn1/beta',
      'bn1/moving_mean',
    ];
    expect(names.filter((n) => decays(n, 'kernels'))).toEqual([
      'c1/kernel',
      'c1/pointwise_kernel',
      'c1/kernel_1',
      'logits/kernel',
    ]);
    expect(names.every((n) => decays(n, 'all'))).toBe(true);
  });
});
