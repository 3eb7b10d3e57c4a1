import { describe, expect, it } from 'vitest';
import type { ArchNode } from '../../../src/core/arch.js';
import { assertArch } from '../../../src/space/index.js';
import { buildModel } from '../../../src/eval/build/build-model.js';
import { evaluate, train } from '../../../src/eval/train/index.js';
import { part, patternSet } from './helpers.js';

const SHAPE = [4, 4, 2] as const;
const CLASSES = 3;
const N = 60;

// input → BatchNorm → flatten → dense: the BN layer sees the raw images, so its batch statistics are
// the data's own, whatever the weights do.
const nodes: ArchNode[] = [
  { id: 'bn', op: 'bn', inputs: ['input'] },
  { id: 'flat', op: 'flatten', inputs: ['bn'] },
  { id: 'logits', op: 'dense', units: 'classes', inputs: ['flat'] },
];
const arch = assertArch({ version: 1, nodes, output: 'logits' }, { inputShape: SHAPE, classes: CLASSES });

/** Per-channel mean and population variance of the whole set, in float64. */
function channelMoments(images: Float32Array, channels: number): { mean: number[]; variance: number[] } {
  const n = images.length / channels;
  const mean = Array.from(
    { length: channels },
    (_, c) => images.filter((_, i) => i % channels === c).reduce((s, v) => s + v, 0) / n,
  );
  const variance = mean.map(
    (m, c) => images.filter((_, i) => i % channels === c).reduce((s, v) => s + (v - m) ** 2, 0) / n,
  );
  return { mean, variance };
}

const read = (model: ReturnType<typeof buildModel>, name: string) => {
  const w = model.weights.find((v) => v.originalName === name);
  if (w === undefined) throw new Error(`no weight ${name}`);
  return Array.from(w.read().dataSync());
};

describe('BatchNorm: batch statistics in training, moving averages in evaluation (design part 3.1)', () => {
  it('updates the moving averages as moving = m·moving + (1 − m)·batch, and evaluates with them', async () => {
    const set = patternSet(N, SHAPE, CLASSES, 'bn');
    const model = buildModel(arch, { seed: 2 });
    try {
      // One batch per epoch (batch = N), three epochs: moving mean = (1 − m³)·mean, variance = m³ + (1 − m³)·var.
      await train(
        model,
        { train: part(set) },
        { seed: 1, epochs: 3, batchSize: N, schedule: { kind: 'constant', lr: 0.05 } },
      );
      const m = 0.9;
      const keep = m ** 3;
      const { mean, variance } = channelMoments(set.images, 2);
      const movingMean = read(model, 'bn/moving_mean');
      const movingVar = read(model, 'bn/moving_variance');
      movingMean.forEach((v, c) => expect(v).toBeCloseTo((1 - keep) * (mean[c] as number), 5));
      movingVar.forEach((v, c) => expect(v).toBeCloseTo(keep + (1 - keep) * (variance[c] as number), 5));

      // The evaluation loss, computed by hand with the moving statistics (inference), and with the
      // batch statistics (what training mode would give): evaluate() must match the first.
      const gamma = read(model, 'bn/gamma');
      const beta = read(model, 'bn/beta');
      const kernel = read(model, 'logits/kernel');
      const bias = read(model, 'logits/bias');
      const epsilon = model.getLayer('bn').getConfig().epsilon as number;
      const manualLoss = (mu: readonly number[], sigma2: readonly number[]) => {
        let total = 0;
        const size = 4 * 4 * 2;
        for (let i = 0; i < N; i++) {
          const logits = [...bias];
          for (let j = 0; j < size; j++) {
            const c = j % 2;
            const y =
              (gamma[c] as number) *
                (((set.images[i * size + j] as number) - (mu[c] as number)) /
                  Math.sqrt((sigma2[c] as number) + epsilon)) +
              (beta[c] as number);
            for (let k = 0; k < CLASSES; k++)
              logits[k] = (logits[k] as number) + y * (kernel[j * CLASSES + k] as number);
          }
          const max = Math.max(...logits);
          const lse = max + Math.log(logits.reduce((s, z) => s + Math.exp(z - max), 0));
          total += lse - (logits[set.labels[i] as number] as number);
        }
        return total / N;
      };
      const result = evaluate(model, part(set), { batchSize: 16 });
      const inference = manualLoss(movingMean, movingVar);
      const batchStats = manualLoss(mean, variance);
      expect(Math.abs(inference - batchStats)).toBeGreaterThan(0.05);
      expect(result.loss).toBeCloseTo(inference, 4);
      expect(result.count).toBe(N);
    } finally {
      model.dispose();
    }
  });
});
