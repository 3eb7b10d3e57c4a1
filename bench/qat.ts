// Quantization-aware training (train.qat, design part 5.2) against post-training quantization, on
// the networks of bench/quantization.ts: each trained twice from the same seed, 2 epochs on 10,000
// training images (SGD one-cycle, lr 0.1, batch 64), once plain and once with `qat: { epochs: 1 }`,
// measured on the 10,000 test images:
//   float           the trained network (compiled inference, BN unfolded)
//   PTQ             post-training full integer, ranges calibrated by min/max on 1,000 training images
//   QAT             the QAT-trained network's full integer with the ranges QAT learned (no calibration)
//   QAT, calibrated the QAT-trained weights with min/max calibration instead
// and the seconds of a plain and of a QAT epoch (validation included).
//
//   npx tsx bench/qat.ts
import { channelStats, loadDataset, normalizeBatch, splitTrainValidation } from '../src/backend/data/index.js';
import { buildModel } from '../src/eval/build/build-model.js';
import { measureQuantization } from '../src/eval/quantize/index.js';
import { resolveTrainConfig, type BatchTransform, type TrainConfig, type TrainData } from '../src/eval/train/index.js';
import { trainModel, type ModelTraining } from '../src/eval/train-model.js';
import { modelWeights, type WeightArray } from '../src/eval/weights.js';
import type { ResolvedArch } from '../src/space/index.js';
import { mobile, smallCnn } from './fixtures/quantization-networks.js';

const out = (s: string) => void process.stdout.write(`${s}\n`);
const pct = (v: number | undefined) => `${(100 * (v ?? Number.NaN)).toFixed(2)} %`;

async function trained(
  arch: ResolvedArch,
  data: TrainData,
  config: TrainConfig,
): Promise<{ result: ModelTraining; weights: Map<string, WeightArray> }> {
  const cfg = resolveTrainConfig(config);
  const model = buildModel(arch, { seed: cfg.seed, init: cfg.init });
  try {
    return { result: await trainModel(arch, model, data, cfg), weights: modelWeights(model) };
  } finally {
    model.dispose();
  }
}

async function bench(
  label: string,
  dataset: 'mnist' | 'fashion-mnist',
  network: (shape: readonly number[], classes: number) => ResolvedArch,
): Promise<void> {
  const images = await loadDataset(dataset);
  const { train, validation } = splitTrainValidation(images.train, { seed: 0, validationCount: 5_000, subset: 10_000 });
  const stats = channelStats(images.train, train.indices);
  const normalize: BatchTransform = (x, count, shape) => normalizeBatch(x, count, shape, stats);
  const test = { set: images.test, indices: Uint32Array.from({ length: images.test.count }, (_, i) => i) };
  const arch = network(images.train.shape, images.numClasses);
  const data: TrainData = { train, validation, test, transform: { train: normalize, eval: normalize } };
  const config: TrainConfig = {
    seed: 0,
    epochs: 2,
    batchSize: 64,
    test: true,
    schedule: { kind: 'one-cycle', lrMax: 0.1 },
  };
  const calibration = { calibration: train, test, transform: normalize };
  const options = { observer: 'minmax', calibrationImages: 1_000, latency: { warmup: 1, repeats: 3 } } as const;

  const plain = await trained(arch, data, config);
  const ptq = await measureQuantization(arch, plain.weights, calibration, options);
  const qat = await trained(arch, data, { ...config, qat: { epochs: 1 } });
  const calibrated = await measureQuantization(arch, qat.weights, calibration, options);
  const seconds = (r: ModelTraining) => r.epochs.map((e) => e.seconds.toFixed(1)).join(' + ');
  out(
    `\n${label} on ${dataset} (${ptq.quantizedActivations} quantized activations, ${ptq.foldedBatchNorms} BN folded)`,
  );
  out(
    `  plain:  float ${pct(plain.result.testAccuracy)}   PTQ ${pct(ptq.fullInteger.accuracy)}   epochs ${seconds(plain.result)} s`,
  );
  out(
    `  QAT:    float ${pct(qat.result.testAccuracy)}   QAT ranges ${pct(qat.result.quantizationAware?.test?.accuracy)}   calibrated ${pct(calibrated.fullInteger.accuracy)}   epochs ${seconds(qat.result)} s`,
  );
}

await bench('small CNN', 'mnist', smallCnn);
await bench('small CNN', 'fashion-mnist', smallCnn);
await bench('mobile', 'fashion-mnist', mobile);
