// Stored experiments for `nas review`: real SQLite files holding experiments of the macro space whose
// trials are chosen samples (a ResNet-18, a deep plain stack, …), each recorded as the driver records
// a trial (created RUNNING, finished with an outcome priced by the cost model). No training: the
// review reads only the architecture, the config and the trial's record.
import path from 'node:path';
import type { Json } from '../../src/core/arch.js';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import type { ExperimentConfig } from '../../src/run/config.js';
import { configToStore } from '../../src/run/stored-config.js';
import { costOf } from '../../src/space/cost/index.js';
import { createSpace } from '../../src/space/spaces/index.js';
import { assertArch } from '../../src/space/validate.js';
import { testConfig } from '../run/helpers.js';
import { tempDir } from './helpers.js';

type Block = 'basic' | 'bottleneck' | 'separable';

/** One stage of a macro sample, every decision given. */
export function stage(block: Block, width: number, depth: number, stride: number, attention = 'none'): Json {
  return {
    block,
    kernel: 3,
    expansion: block === 'bottleneck' ? 4 : 1,
    width,
    depth,
    stride,
    attention,
    placement: 'branch',
    groups: 1,
  };
}

/** The macro space's ResNet-18: basic blocks [2, 2, 2, 2], widths 64–512, strides 1, 2, 2, 2. */
export const RESNET18: Json = {
  stages: [stage('basic', 64, 2, 1), stage('basic', 128, 2, 2), stage('basic', 256, 2, 2), stage('basic', 512, 2, 2)],
};
/** ResNet-18 with SE on the branches of its first stage and CBAM on those of its second. */
export const RESNET18_ATTENTION: Json = {
  stages: [
    stage('basic', 64, 2, 1, 'se'),
    stage('basic', 128, 2, 2, 'cbam'),
    stage('basic', 256, 2, 2),
    stage('basic', 512, 2, 2),
  ],
};
/** The same stages with stride 1 in the first two: at 32×32 it ends on a 2×2 map. */
export const RESNET18_LATE: Json = {
  stages: [stage('basic', 64, 2, 1), stage('basic', 128, 2, 1), stage('basic', 256, 2, 2), stage('basic', 512, 2, 2)],
};
/** MobileNetV1-like depthwise-separable units, 6 per stage: 50 weight layers, no shortcut. */
export const DEEP_PLAIN: Json = {
  stages: [
    stage('separable', 64, 6, 1),
    stage('separable', 128, 6, 2),
    stage('separable', 256, 6, 2),
    stage('separable', 512, 6, 2),
  ],
};
/** The macro space's ResNet-50: bottlenecks [3, 4, 6, 3]. */
export const RESNET50: Json = {
  stages: [
    stage('bottleneck', 64, 3, 1),
    stage('bottleneck', 128, 4, 2),
    stage('bottleneck', 256, 6, 2),
    stage('bottleneck', 512, 3, 2),
  ],
};
/** The one sample of the "tiny" space: a 3×3 stem of 16 channels, one basic block of 8 (projected), on 8×8×1. */
export const TINY: Json = { stages: [stage('basic', 8, 1, 1)] };
/** The tiny space's options: a single basic block after a 3×3 stem. */
export const TINY_SPACE = {
  stem: 'conv3x3',
  stemChannels: 16,
  stageWidths: [8],
  widthMultipliers: ['1'],
  blocks: ['basic'],
  depths: [1],
  strides: [1],
  attention: ['none'],
} as const;

/** ImageNet-sized synthetic images with 100 classes (the synthetic set's most is 256). */
const IMAGENET_LIKE = {
  name: 'synthetic',
  options: { height: 224, width: 224, channels: 3, classes: 100 },
  validationFraction: 0.2,
};
const CIFAR_LIKE = {
  name: 'synthetic',
  options: { height: 32, width: 32, channels: 3, classes: 10 },
  validationFraction: 0.2,
};

type StoredTrial = { readonly sample: Json; readonly accuracy?: number; readonly failed?: string };

/** Records `config` as a new experiment with `trials` (a trial with `failed` ends FAILED out-of-memory). */
async function storeExperiment(config: ExperimentConfig, trials: readonly StoredTrial[]): Promise<void> {
  const stored = configToStore(config);
  const space = createSpace(stored.space.name, stored.space.options);
  const data = stored.dataset.options as { height: number; width: number; channels: number; classes: number };
  const storage = await openSqliteStorage(stored.storage);
  try {
    const experiment = await storage.createExperiment({
      name: stored.name,
      config: stored as unknown as Json,
      seed: stored.seed,
    });
    for (const [number, t] of trials.entries()) {
      const record = await storage.createTrial(experiment.id, { number, sample: t.sample, key: space.key(t.sample) });
      if (t.failed !== undefined) {
        await storage.finishTrial(record.id, { state: 'FAILED', reason: 'out-of-memory', message: t.failed });
        continue;
      }
      const arch = assertArch(space.freeze(t.sample), {
        inputShape: [data.height ?? 8, data.width ?? 8, data.channels ?? 1],
        classes: data.classes ?? 10,
      });
      const cost = costOf(arch, { batch: stored.train.batchSize ?? 128 });
      const outcome = {
        metrics: { validationAccuracy: t.accuracy ?? 0.5 },
        cost: {
          params: cost.params.trainable,
          paramsTotal: cost.params.total,
          macs: cost.macs,
          trainMemoryBytes: cost.memory.trainTotal,
          inferenceMemoryBytes: cost.memory.inferenceActivations,
          estimatedLatencyMs: cost.latency.estimatedMs,
        },
        epochs: [],
        seconds: 1,
        engine: { name: 'compiled' as const },
      };
      await storage.finishTrial(record.id, { state: 'COMPLETE', outcome });
    }
    await storage.setExperimentStatus(experiment.id, 'finished');
  } finally {
    await storage.close();
  }
}

/**
 * A SQLite file with the review's experiments, all on the macro space:
 * - "imagenet" (224×224×3, 100 classes; SGD with weight decay, batch 32, 1 worker): #0 ResNet-18
 *   (the best), #1 the deep plain stack, #2 ResNet-50 that failed out-of-memory;
 * - "cifar" (32×32×3): #0 ResNet-18, whose last stage runs on 1×1, #1 the same with the drops later;
 * - "constrained" (as imagenet, maxParams 5 M and maxMacs 1 G): #0 ResNet-18;
 * - "adam" (as imagenet, Adam without weight decay): #0 ResNet-18;
 * - "bf16" (as imagenet, train.precision 'bf16'): #0 ResNet-18;
 * - "big-batch" (as imagenet, batch 100,000, 2 workers): #0 ResNet-18;
 * - "attention" (as imagenet): #0 ResNet-18 with SE and CBAM;
 * - "regularized" (as imagenet, Adam without weight decay, but flips, label smoothing 0.1, and the
 *   macro space's dropout 0.2 and drop-path 0.1): #0 ResNet-18 with both;
 * - "tiny" (the tiny space on the synthetic set's 8×8×1, 10 classes; batch 32): #0 its one sample;
 * - "empty": no trials.
 */
export async function reviewStorage(): Promise<string> {
  const storage = path.join(tempDir('nas-review-'), 'nas.sqlite');
  const macro = { name: 'macro', options: {} };
  const base = (name: string, overrides: Partial<ExperimentConfig> = {}): ExperimentConfig =>
    testConfig({
      name,
      storage,
      space: macro,
      dataset: IMAGENET_LIKE,
      workers: 1,
      budget: { trials: 3 },
      train: { epochs: 1, batchSize: 32 },
      ...overrides,
    });
  await storeExperiment(base('imagenet'), [
    { sample: RESNET18, accuracy: 0.8 },
    { sample: DEEP_PLAIN, accuracy: 0.6 },
    { sample: RESNET50, failed: 'OOM when allocating tensor' },
  ]);
  await storeExperiment(base('cifar', { dataset: CIFAR_LIKE }), [
    { sample: RESNET18, accuracy: 0.7 },
    { sample: RESNET18_LATE, accuracy: 0.75 },
  ]);
  await storeExperiment(base('constrained', { constraints: { maxParams: 5_000_000, maxMacs: 1e9 } }), [
    { sample: RESNET18 },
  ]);
  await storeExperiment(base('adam', { train: { epochs: 1, batchSize: 32, optimizer: { kind: 'adam' } } }), [
    { sample: RESNET18 },
  ]);
  await storeExperiment(base('bf16', { train: { epochs: 1, batchSize: 32, precision: 'bf16' } }), [
    { sample: RESNET18 },
  ]);
  await storeExperiment(base('big-batch', { workers: 2, train: { epochs: 1, batchSize: 100_000 } }), [
    { sample: RESNET18 },
  ]);
  await storeExperiment(base('attention'), [{ sample: RESNET18_ATTENTION }]);
  await storeExperiment(
    base('regularized', {
      space: { name: 'macro', options: { dropPathRates: [0, 0.1], dropoutRates: [0, 0.2] } },
      dataset: { ...IMAGENET_LIKE, augment: { flip: true } },
      train: { epochs: 1, batchSize: 32, optimizer: { kind: 'adam' }, labelSmoothing: 0.1 },
    }),
    [{ sample: { ...(RESNET18 as object), dropPath: 0.1, dropout: 0.2 } }],
  );
  const tinyData = { name: 'synthetic', options: {}, validationFraction: 0.2 };
  await storeExperiment(base('tiny', { space: { name: 'macro', options: TINY_SPACE }, dataset: tinyData }), [
    { sample: TINY, accuracy: 0.9 },
  ]);
  await storeExperiment(base('empty'), []);
  return storage;
}
