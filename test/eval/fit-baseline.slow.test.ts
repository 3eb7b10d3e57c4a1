import { describe, expect, it } from 'vitest';
import { loadTf } from '../../src/backend/tf.js';
import { loadDataset } from '../../src/backend/data/index.js';
import { fitBaseline } from '../../src/eval/fit-baseline.js';

describe('the baseline CNN on MNIST (real training, native backend)', () => {
  it('reaches at least 97% test accuracy after one epoch and leaks no tensors', async () => {
    const tf = loadTf();
    const mnist = await loadDataset('mnist');
    const before = tf.memory().numTensors;
    const result = await fitBaseline(mnist, { epochs: 1, batchSize: 64, seed: 0 });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.backend).toBe('tensorflow');
    expect(result.trainImages).toBe(60_000);
    expect(result.testImages).toBe(10_000);
    expect(result.testAccuracy).toBeGreaterThanOrEqual(0.97);
  });

  it('gives the same loss for the same seed and a different one for another seed', async () => {
    const mnist = await loadDataset('mnist');
    const run = (seed: number) => fitBaseline(mnist, { epochs: 1, batchSize: 64, seed, trainLimit: 2_000 });
    const [a, b, c] = [await run(1), await run(1), await run(2)];
    expect(a.finalTrainLoss).toBe(b.finalTrainLoss);
    expect(a.testAccuracy).toBe(b.testAccuracy);
    expect(c.finalTrainLoss).not.toBe(a.finalTrainLoss);
  });
});
