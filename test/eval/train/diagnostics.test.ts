import type { Tensor } from '@tensorflow/tfjs-node';
import { describe, expect, it } from 'vitest';
import type { ArchNode } from '../../../src/core/arch.js';
import { loadTf } from '../../../src/backend/tf.js';
import { assertArch } from '../../../src/space/index.js';
import { buildModel } from '../../../src/eval/build/build-model.js';
import { activationStats, GradientTracker } from '../../../src/eval/train/diagnostics.js';
import { Rng } from '../../../src/core/rng.js';

const tf = loadTf();

describe('activation statistics (design part 6.2)', () => {
  it('measures every activation and BatchNorm output like a hand computation, and leaves the model whole', () => {
    const nodes: ArchNode[] = [
      { id: 'conv', op: 'conv', inputs: ['input'], filters: 6, kernel: 3, padding: 'same' },
      { id: 'bn', op: 'bn', inputs: ['conv'] },
      { id: 'relu', op: 'act', fn: 'relu', inputs: ['bn'] },
      { id: 'gap', op: 'gap', inputs: ['relu'] },
      { id: 'logits', op: 'dense', units: 'classes', inputs: ['gap'] },
    ];
    const model = buildModel(assertArch({ version: 1, nodes, output: 'logits' }, { inputShape: [5, 5, 2], classes: 3 }), { seed: 4 });
    // Kill two channels: BN's beta −100 puts them far below zero, so the ReLU outputs 0 there.
    const [gamma, , mean, variance] = model.getLayer('bn').getWeights() as Tensor[];
    const beta = tf.tensor1d([-100, -100, 0, 0, 0, 0]);
    model.getLayer('bn').setWeights([gamma as Tensor, beta, mean as Tensor, variance as Tensor]);
    beta.dispose();
    const rng = new Rng(1);
    const x = tf.tensor4d(Float32Array.from({ length: 8 * 5 * 5 * 2 }, () => rng.normal()), [8, 5, 5, 2]);
    try {
      const before = tf.memory().numTensors;
      const stats = activationStats(model, x);
      expect(tf.memory().numTensors).toBe(before);
      expect(stats.map((s) => [s.layer, s.kind])).toEqual([['bn', 'bn'], ['relu', 'relu']]);
      const relu = (model.execute(x, (model.getLayer('relu').output as { name: string }).name) as Tensor);
      const values = Array.from(relu.dataSync());
      relu.dispose();
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
      const zeros = values.filter((v) => v === 0).length / values.length;
      const dead = [0, 1, 2, 3, 4, 5].filter((c) => values.every((v, i) => i % 6 !== c || v === 0)).length / 6;
      const r = stats[1];
      expect(r?.mean).toBeCloseTo(mean, 5);
      expect(r?.std).toBeCloseTo(std, 5);
      expect(r?.zeroFraction).toBeCloseTo(zeros, 6);
      expect(r?.deadFraction).toBeCloseTo(dead, 6);
      expect(dead).toBeCloseTo(2 / 6, 9);
      const out = model.predict(x) as Tensor;
      expect(out.shape).toEqual([8, 3]);
      out.dispose();
    } finally {
      x.dispose();
      model.dispose();
    }
  });
});

describe('gradient norms (design part 6.1)', () => {
  it('averages the global norm per epoch and each weight’s norm over the last epoch', () => {
    const t = new GradientTracker(['a/kernel', 'b/bias']);
    t.add(Float32Array.from([9, 16]));
    t.add(Float32Array.from([36, 64]));
    t.endEpoch(1);
    t.add(Float32Array.from([1, 0]));
    t.endEpoch(2);
    expect(t.epochs).toEqual([{ epoch: 1, meanNorm: 7.5, maxNorm: 10 }, { epoch: 2, meanNorm: 1, maxNorm: 1 }]);
    expect(t.lastByWeight).toEqual({ 'a/kernel': 1, 'b/bias': 0 });
  });
});
