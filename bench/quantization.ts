// Post-training quantization (src/eval/quantize, design part 5.2) of freshly trained networks: test
// accuracy, parameter bytes, SavedModel bytes and batch-1 latency of the float network (BN folded),
// its dynamic-range form and its full-integer (simulated) form with each calibration observer.
//
//   npx tsx bench/quantization.ts            # 2 epochs per network
//   npx tsx bench/quantization.ts --quick    # 1 epoch
//
// Networks, each trained on 10,000 training images (seed 0, SGD one-cycle, lr 0.1, batch 64) and
// measured on the 10,000 test images; calibration on 1,000 training images:
//   small CNN     (conv3×3-BN-ReLU, max pool) ×… as test/eval/quantize/mnist.slow.test.ts, on MNIST and Fashion-MNIST
//   mobile        a macro-space sample, MobileNet-like: conv3×3 stem, inverted residuals (expansion 4,
//                 the first stage with squeeze-excitation), a separable stage, GAP + dense; Fashion-MNIST
import { channelStats, loadDataset, normalizeBatch, splitTrainValidation } from '../src/backend/data/index.js';
import { buildModel } from '../src/eval/build/build-model.js';
import { measureQuantization, type FormFigures, type ObserverKind } from '../src/eval/quantize/index.js';
import { resolveTrainConfig, type BatchTransform } from '../src/eval/train/index.js';
import { trainModel } from '../src/eval/train-model.js';
import { modelWeights } from '../src/eval/weights.js';
import type { ResolvedArch } from '../src/space/index.js';
import { mobile, smallCnn } from './fixtures/quantization-networks.js';

const EPOCHS = process.argv.includes('--quick') ? 1 : 2;
const out = (s: string) => void process.stdout.write(`${s}\n`);

const cell = (f: FormFigures) =>
  `${(100 * f.accuracy).toFixed(2).padStart(6)} %  ${String(f.parameterBytes).padStart(8)} B  ${String(f.graphBytes).padStart(8)} B  ${f.latencyMs.toFixed(3).padStart(7)} ms`;

async function bench(
  label: string,
  dataset: 'mnist' | 'fashion-mnist',
  arch: (shape: readonly number[], classes: number) => ResolvedArch,
): Promise<void> {
  const data = await loadDataset(dataset);
  const { train, validation } = splitTrainValidation(data.train, { seed: 0, validationCount: 5_000, subset: 10_000 });
  const stats = channelStats(data.train, train.indices);
  const normalize: BatchTransform = (images, count, shape) => normalizeBatch(images, count, shape, stats);
  const test = { set: data.test, indices: Uint32Array.from({ length: data.test.count }, (_, i) => i) };
  const network = arch(data.train.shape, data.numClasses);
  const cfg = resolveTrainConfig({
    seed: 0,
    epochs: EPOCHS,
    batchSize: 64,
    schedule: { kind: 'one-cycle', lrMax: 0.1 },
  });
  const model = buildModel(network, { seed: cfg.seed, init: cfg.init });
  let weights;
  const started = performance.now();
  try {
    await trainModel(network, model, { train, validation, transform: { train: normalize, eval: normalize } }, cfg);
    weights = modelWeights(model);
  } finally {
    model.dispose();
  }
  const trained = (performance.now() - started) / 1000;
  for (const observer of ['minmax', 'percentile', 'mse'] as ObserverKind[]) {
    const r = await measureQuantization(
      network,
      weights,
      { calibration: train, test, transform: normalize },
      { observer, calibrationImages: 1_000, latency: { warmup: 20, repeats: 200 } },
    );
    if (observer === 'minmax') {
      out(
        `\n${label} on ${dataset} (${EPOCHS} epoch(s), ${trained.toFixed(0)} s): ${r.foldedBatchNorms} BN folded, ${r.quantizedActivations} quantized activations`,
      );
      out(`${'form'.padEnd(26)}accuracy  parameters  SavedModel  batch-1`);
      out(`${'float (BN folded)'.padEnd(24)}${cell(r.float)}`);
      out(`${'dynamic range'.padEnd(24)}${cell(r.dynamic)}`);
    }
    out(`${`full integer, ${observer}`.padEnd(24)}${cell(r.fullInteger)}`);
  }
}

await bench('small CNN', 'mnist', smallCnn);
await bench('small CNN', 'fashion-mnist', smallCnn);
await bench('mobile', 'fashion-mnist', mobile);
