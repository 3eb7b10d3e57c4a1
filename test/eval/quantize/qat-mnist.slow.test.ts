// Quantization-aware training on MNIST (design part 5.2): the small CNN of mnist.slow.test.ts
// (conv-BN-ReLU, max pool, conv-BN-ReLU, flatten, dense) trained 2 epochs on 10,000 images with
// `qat: { epochs: 1 }`, then its full-integer network with the QAT-learned ranges (no calibration)
// measured on the 10,000 test images: within 1 point of the float network's accuracy. Printed for
// comparison (docs/inference.md): the same network and seed trained without QAT, quantized after
// training (min/max calibration on 1,000 training images), and the QAT-trained weights calibrated
// instead of using the learned ranges; and the seconds of a plain and of a QAT epoch. ~60 s.
import { SMALL_CNN_NODES } from '../small-cnn.js';
import { describe, expect, it } from 'vitest';
import { loadTf } from '../../../src/backend/tf.js';
import { channelStats, loadDataset, normalizeBatch, splitTrainValidation } from '../../../src/backend/data/index.js';
import { buildModel } from '../../../src/eval/build/build-model.js';
import { measureQuantization, type QuantizationData } from '../../../src/eval/quantize/index.js';
import {
  resolveTrainConfig,
  type BatchTransform,
  type TrainConfig,
  type TrainData,
} from '../../../src/eval/train/index.js';
import { trainModel, type ModelTraining } from '../../../src/eval/train-model.js';
import { modelWeights, type WeightArray } from '../../../src/eval/weights.js';
import { assertArch, type ResolvedArch } from '../../../src/space/index.js';

const nodes = SMALL_CNN_NODES;

const tf = loadTf();
const pct = (v: number | undefined) => `${(100 * (v ?? Number.NaN)).toFixed(2)} %`;

async function trained(
  arch: ResolvedArch,
  data: TrainData,
  config: TrainConfig,
): Promise<{ result: ModelTraining; weights: Map<string, WeightArray> }> {
  const cfg = resolveTrainConfig(config);
  const model = buildModel(arch, { seed: cfg.seed, init: cfg.init });
  try {
    const result = await trainModel(arch, model, data, cfg);
    return { result, weights: modelWeights(model) };
  } finally {
    model.dispose();
  }
}

describe('quantization-aware training on MNIST (real training, native backend)', () => {
  it('keeps the full-integer network with the learned ranges within 1 point of float', async () => {
    const mnist = await loadDataset('mnist');
    const { train, validation } = splitTrainValidation(mnist.train, {
      seed: 0,
      validationCount: 5_000,
      subset: 10_000,
    });
    const stats = channelStats(mnist.train, train.indices);
    const normalize: BatchTransform = (images, count, shape) => normalizeBatch(images, count, shape, stats);
    const test = { set: mnist.test, indices: Uint32Array.from({ length: 10_000 }, (_, i) => i) };
    const arch = assertArch(
      { version: 1, nodes: [...nodes], output: 'logits' },
      { inputShape: mnist.train.shape, classes: mnist.numClasses },
    );
    const data: TrainData = { train, validation, test, transform: { train: normalize, eval: normalize } };
    const config: TrainConfig = {
      seed: 0,
      epochs: 2,
      batchSize: 64,
      test: true,
      schedule: { kind: 'one-cycle', lrMax: 0.1 },
    };

    const before = tf.memory().numTensors;
    const qat = await trained(arch, data, { ...config, qat: { epochs: 1 } });
    expect(tf.memory().numTensors).toBe(before);
    const plain = await trained(arch, data, config);
    const calibration: QuantizationData = { calibration: train, test, transform: normalize };
    const options = { observer: 'minmax', calibrationImages: 1_000, latency: { warmup: 2, repeats: 5 } } as const;
    const ptq = await measureQuantization(arch, plain.weights, calibration, options);
    const qatCalibrated = await measureQuantization(arch, qat.weights, calibration, options);

    const q = qat.result.quantizationAware;
    const [plainEpoch, qatEpoch] = [qat.result.epochs[0]?.seconds, qat.result.epochs[1]?.seconds];
    console.log(
      [
        'MNIST small CNN, 2 epochs on 10,000 images, tested on 10,000:',
        `  QAT (last epoch):   float ${pct(qat.result.testAccuracy)}, full integer with the QAT ranges ${pct(q?.test?.accuracy)} (validation ${pct(qat.result.epochs[1]?.validationAccuracy)} / ${pct(q?.validation?.accuracy)})`,
        `                      the same weights calibrated (min/max, 1,000 images): float, BN folded ${pct(qatCalibrated.float.accuracy)}, full integer ${pct(qatCalibrated.fullInteger.accuracy)}`,
        `  no QAT:             float ${pct(plain.result.testAccuracy)}; post-training full integer (min/max, 1,000 images) ${pct(ptq.fullInteger.accuracy)} (float, BN folded ${pct(ptq.float.accuracy)})`,
        `  epoch seconds:      plain ${plainEpoch?.toFixed(1)} s, QAT ${qatEpoch?.toFixed(1)} s (validation included)`,
      ].join('\n'),
    );
    expect(qat.result.qatSteps).toBe(Math.ceil(train.indices.length / 64));
    expect(qat.result.testAccuracy).toBeGreaterThan(0.95);
    expect(Math.abs((q?.test?.accuracy as number) - (qat.result.testAccuracy as number))).toBeLessThanOrEqual(0.01);
    expect(
      Math.abs((q?.validation?.accuracy as number) - (qat.result.epochs[1]?.validationAccuracy as number)),
    ).toBeLessThanOrEqual(0.01);
  });
});
