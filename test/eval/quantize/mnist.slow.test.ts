// Post-training quantization of a trained network (design part 5.2): a small CNN (conv-BN-ReLU ×2
// with a max pool between, flatten, dense; test/eval/train/mnist.slow.test.ts's) trained for one
// epoch on 10,000 MNIST images, then measured in its three forms on the 10,000 test images, the
// full-integer form calibrated on 1,000 training images with each observer. Checked: dynamic range
// within 1 point of float, full integer within 2 points, no tensor left behind; the figures are
// printed (docs/inference.md). ~15 s.
import { SMALL_CNN_NODES } from '../small-cnn.js';
import { describe, expect, it } from 'vitest';
import { loadTf } from '../../../src/backend/tf.js';
import { channelStats, loadDataset, normalizeBatch, splitTrainValidation } from '../../../src/backend/data/index.js';
import { buildModel } from '../../../src/eval/build/build-model.js';
import { measureQuantization, type FormFigures, type ObserverKind } from '../../../src/eval/quantize/index.js';
import { resolveTrainConfig, type BatchTransform } from '../../../src/eval/train/index.js';
import { trainModel } from '../../../src/eval/train-model.js';
import { modelWeights } from '../../../src/eval/weights.js';
import { assertArch } from '../../../src/space/index.js';

const nodes = SMALL_CNN_NODES;

const line = (name: string, f: FormFigures) =>
  `${name.padEnd(22)} accuracy ${(100 * f.accuracy).toFixed(2)} %  loss ${f.loss.toFixed(4)}  parameters ${f.parameterBytes} B  SavedModel ${f.graphBytes} B  batch-1 latency ${f.latencyMs.toFixed(3)} ms`;

const tf = loadTf();

describe('post-training quantization on MNIST (real training, native backend)', () => {
  it('keeps dynamic range within 1 point and full integer within 2 points of float', async () => {
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
    const cfg = resolveTrainConfig({ seed: 0, epochs: 1, batchSize: 64, schedule: { kind: 'one-cycle', lrMax: 0.1 } });
    const model = buildModel(arch, { seed: cfg.seed, init: cfg.init });
    let weights;
    try {
      await trainModel(arch, model, { train, validation, transform: { train: normalize, eval: normalize } }, cfg);
      weights = modelWeights(model);
    } finally {
      model.dispose();
    }
    const data = { calibration: train, test, transform: normalize };
    for (const observer of ['minmax', 'percentile', 'mse'] as ObserverKind[]) {
      const before = tf.memory().numTensors;
      const r = await measureQuantization(arch, weights, data, {
        observer,
        calibrationImages: 1_000,
        latency: { warmup: 20, repeats: 200 },
      });
      expect(tf.memory().numTensors).toBe(before);
      console.log(
        [
          `MNIST small CNN, ${r.foldedBatchNorms} BN folded, ${r.quantizedActivations} quantized activations, observer ${observer}:`,
          line('float (BN folded)', r.float),
          line('dynamic range', r.dynamic),
          line('full integer', r.fullInteger),
        ].join('\n'),
      );
      expect(r.float.accuracy).toBeGreaterThan(0.9);
      expect(Math.abs(r.dynamic.accuracy - r.float.accuracy)).toBeLessThanOrEqual(0.01);
      expect(Math.abs(r.fullInteger.accuracy - r.float.accuracy)).toBeLessThanOrEqual(0.02);
      expect(r.dynamic.parameterBytes).toBeLessThan(r.float.parameterBytes / 3);
    }
  });
});
