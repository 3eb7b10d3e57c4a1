import type { LayersModel, Tensor, Variable } from '@tensorflow/tfjs-node';
import { describe, expect, it } from 'vitest';
import { loadTf } from '../../../src/backend/tf.js';
import { nasLayers } from '../../../src/eval/build/layers/index.js';
import { Rng } from '../../../src/core/rng.js';

const tf = loadTf();

/** input [5, 5, 3] → BN (tfjs's or the fused one) → flatten → dense 4, same initial weights. */
function net(fused: boolean): LayersModel {
  const input = tf.input({ shape: [5, 5, 3] });
  const bn = fused
    ? new (nasLayers().FusedBatchNorm)({ name: 'bn', momentum: 0.9, epsilon: 1e-5 })
    : tf.layers.batchNormalization({ name: 'bn', momentum: 0.9, epsilon: 1e-5 });
  const flat = tf.layers.flatten().apply(bn.apply(input)) as ReturnType<typeof tf.input>;
  const out = tf.layers
    .dense({ units: 4, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) })
    .apply(flat) as ReturnType<typeof tf.input>;
  return tf.model({ inputs: input, outputs: out });
}

const values = (t: Tensor) => Array.from(t.dataSync());
const maxDiff = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - (b[i] as number))));

describe('FusedBatchNorm (TensorFlow fused kernels)', () => {
  it('matches tfjs BatchNormalization: training output, gradients, moving averages, inference output', () => {
    const rng = new Rng(9);
    const x = tf.tensor4d(
      Float32Array.from({ length: 6 * 75 }, () => 2 * rng.normal() + 0.5),
      [6, 5, 5, 3],
    );
    const before = tf.memory().numTensors;
    const results = [false, true].map((fused) => {
      const model = net(fused);
      // Non-trivial γ, β so their gradients and the output depend on them.
      const bn = model.getLayer('bn');
      const [g, b, mm, mv] = [tf.tensor1d([1.5, 0.5, -1]), tf.tensor1d([0.1, -0.2, 0.3]), tf.zeros([3]), tf.ones([3])];
      bn.setWeights([g, b, mm, mv]);
      tf.dispose([g, b, mm, mv]);
      const vars = model.trainableWeights.map((w) => w.read() as Variable);
      const { value, grads } = tf.variableGrads(
        () => tf.sum(tf.square(model.apply(x, { training: true }) as Tensor)),
        vars,
      );
      const xGrad = tf.grad((input: Tensor) => tf.sum(tf.square(model.apply(input, { training: true }) as Tensor)))(x);
      const predicted = model.predict(x) as Tensor;
      const out = {
        loss: values(value),
        grads: vars.map((v) => values(grads[v.name] as Tensor)),
        xGrad: values(xGrad),
        moving: bn.getWeights().slice(2).map(values),
        inference: values(predicted),
      };
      tf.dispose([value, xGrad, predicted, ...Object.values(grads)]);
      model.dispose();
      return out;
    });
    const [plain, fused] = results as [(typeof results)[0], (typeof results)[0]];
    expect(maxDiff(fused.loss, plain.loss) / Math.abs(plain.loss[0] as number)).toBeLessThan(1e-5);
    // Measured: gradients (up to 43 in size) within 1.6e-5, input gradient within 6e-7.
    fused.grads.forEach((g, i) => expect(maxDiff(g, plain.grads[i] as number[])).toBeLessThan(1e-4));
    expect(maxDiff(fused.xGrad, plain.xGrad)).toBeLessThan(1e-5);
    // Two training-mode forward passes ran (variableGrads and grad): m² · initial + (1 − m²) · batch.
    fused.moving.forEach((m, i) => expect(maxDiff(m, plain.moving[i] as number[])).toBeLessThan(1e-6));
    expect(maxDiff(fused.inference, plain.inference)).toBeLessThan(1e-5);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('normalises rank-2 inputs (after a dense layer) like tfjs', () => {
    const layers = [
      tf.layers.batchNormalization({ momentum: 0.9 }),
      new (nasLayers().FusedBatchNorm)({ momentum: 0.9 }),
    ];
    const rng = new Rng(2);
    const x = tf.tensor2d(
      Float32Array.from({ length: 8 * 5 }, () => rng.normal()),
      [8, 5],
    );
    const [a, b] = layers.map((l) => l.apply(x, { training: true }) as Tensor) as [Tensor, Tensor];
    expect(b.shape).toEqual([8, 5]);
    expect(maxDiff(values(b), values(a))).toBeLessThan(1e-4);
    tf.dispose([a, b, x]);
    for (const l of layers) l.dispose();
  });
});
