// Training throughput of the engine's trainer (src/eval/train) against a plain tfjs `model.fit` of the
// same model, in the same process and minute: the trainer's overhead.
//
//   npx tsx bench/trainer-overhead.ts            # 5 rounds of 2,048 images per method
//   npx tsx bench/trainer-overhead.ts --quick    # 1 round of 512 images
//
// A second table trains the same network, built layer by layer, with tfjs's BatchNormalization and
// with FusedBatchNorm (TensorFlow's fused kernels, src/eval/build/layers/fused-batch-norm.ts), both by our
// trainer: the effect of the fused kernel on a whole training step.
//
// Model: (conv3×3-BN-ReLU) ×3 with 16/32/64 filters, max-pool after the first, global average pool,
// dense logits (docs ENVIRONMENT.md's "small CNN"); 32×32×3 synthetic images, 10 classes, batch 128,
// SGD with momentum 0.9 at a constant rate. Both methods run the same number of images per round,
// after one warm-up step each; the order alternates per round. Figures are images/s and the ratio
// ours / model.fit.
import type { LayersModel, Tensor } from '@tensorflow/tfjs-node';
import type { ArchNode } from '../src/core/arch.js';
import { Rng } from '../src/core/rng.js';
import { loadTf } from '../src/backend/tf.js';
import { assertArch } from '../src/space/index.js';
import { buildModel } from '../src/eval/build/build-model.js';
import { train, type TrainConfig } from '../src/eval/train/index.js';
import { nasLayers } from '../src/eval/build/layers/index.js';

const tf = loadTf();
const quick = process.argv.includes('--quick');
const IMAGES = quick ? 512 : 2048;
const ROUNDS = quick ? 1 : 5;
const BATCH = 128;
const CLASSES = 10;

const block = (i: number, input: string, filters: number): ArchNode[] => [
  { id: `c${i}`, op: 'conv', inputs: [input], filters, kernel: 3, padding: 'same', bias: false },
  { id: `b${i}`, op: 'bn', inputs: [`c${i}`] },
  { id: `r${i}`, op: 'act', fn: 'relu', inputs: [`b${i}`] },
];
const nodes: ArchNode[] = [
  ...block(1, 'input', 16),
  { id: 'pool', op: 'maxpool', inputs: ['r1'], kernel: 2, stride: 2 },
  ...block(2, 'pool', 32),
  ...block(3, 'r2', 64),
  { id: 'gap', op: 'gap', inputs: ['r3'] },
  { id: 'logits', op: 'dense', units: 'classes', inputs: ['gap'] },
];
const arch = assertArch({ version: 1, nodes, output: 'logits' }, { inputShape: [32, 32, 3], classes: CLASSES });

async function synthetic() {
  const rng = new Rng('bench');
  const images = new Float32Array(IMAGES * 32 * 32 * 3).map(() => rng.next());
  const labels = Uint8Array.from({ length: IMAGES }, () => rng.int(CLASSES));
  return { images, labels, count: IMAGES, shape: [32, 32, 3] as const };
}

const config = (images: number): TrainConfig => ({
  seed: 1,
  steps: Math.ceil(images / BATCH),
  batchSize: BATCH,
  optimizer: { kind: 'sgd', momentum: 0.9, nesterov: false, weightDecay: 0 },
  schedule: { kind: 'constant', lr: 0.01 },
});

/** Durations (ms) between consecutive step ends after the first: one per step but the first. */
const gaps = (stamps: readonly number[]) => stamps.slice(1).map((t, i) => t - (stamps[i] as number));

async function ours(set: Awaited<ReturnType<typeof synthetic>>): Promise<Run> {
  return oursOn(buildModel(arch, { seed: 1 }), set);
}

/** The bench network layer by layer, with tfjs's BatchNormalization or FusedBatchNorm. */
function handBuilt(fused: boolean): LayersModel {
  const input = tf.input({ shape: [32, 32, 3] });
  let seed = 1;
  let h = input;
  const apply = (layer: { apply: (x: typeof input) => unknown }) => (h = layer.apply(h) as typeof input);
  [16, 32, 64].forEach((filters, i) => {
    apply(
      tf.layers.conv2d({
        filters,
        kernelSize: 3,
        padding: 'same',
        useBias: false,
        kernelInitializer: tf.initializers.heNormal({ seed: seed++ }),
      }),
    );
    apply(
      fused
        ? new (nasLayers().FusedBatchNorm)({ momentum: 0.9, epsilon: 1e-5 })
        : tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }),
    );
    apply(tf.layers.reLU());
    if (i === 0) apply(tf.layers.maxPooling2d({ poolSize: 2 }));
  });
  apply(tf.layers.globalAveragePooling2d({}));
  apply(tf.layers.dense({ units: CLASSES, kernelInitializer: tf.initializers.glorotUniform({ seed: seed++ }) }));
  return tf.model({ inputs: input, outputs: h });
}

async function oursOn(model: LayersModel, set: Awaited<ReturnType<typeof synthetic>>): Promise<Run> {
  const indices = Uint32Array.from({ length: set.count }, (_, i) => i);
  try {
    await train(model, { train: { set, indices: indices.subarray(0, BATCH) } }, config(BATCH));
    const stamps: number[] = [];
    const started = performance.now();
    await train(model, { train: { set, indices } }, config(IMAGES), {
      progressIntervalMs: 0,
      onProgress: () => void stamps.push(performance.now()),
    });
    return { wall: IMAGES / ((performance.now() - started) / 1000), steps: gaps(stamps) };
  } finally {
    model.dispose();
  }
}

async function plainFit(x: Tensor, y: Tensor): Promise<Run> {
  const model: LayersModel = buildModel(arch, { seed: 1 });
  const optimizer = tf.train.momentum(0.01, 0.9);
  model.compile({ optimizer, loss: (t: Tensor, p: Tensor) => tf.losses.softmaxCrossEntropy(t, p) });
  try {
    const head = [tf.slice(x, 0, BATCH), tf.slice(y, 0, BATCH)] as const;
    await model.fit(head[0], head[1], { batchSize: BATCH, epochs: 1, shuffle: false, verbose: 0 });
    tf.dispose([...head]);
    const stamps: number[] = [];
    const started = performance.now();
    await model.fit(x, y, {
      batchSize: BATCH,
      epochs: 1,
      shuffle: false,
      verbose: 0,
      callbacks: { onBatchEnd: async () => void stamps.push(performance.now()) },
    });
    return { wall: IMAGES / ((performance.now() - started) / 1000), steps: gaps(stamps) };
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

type Run = { readonly wall: number; readonly steps: readonly number[] };

const set = await synthetic();
const x = tf.tensor4d(set.images, [IMAGES, 32, 32, 3]);
const y = tf.tidy(() => tf.oneHot(tf.tensor1d(set.labels, 'int32'), CLASSES).toFloat());
const runs: { ours: Run; fit: Run }[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  if (round % 2 === 1) {
    const a = await ours(set);
    runs.push({ ours: a, fit: await plainFit(x, y) });
  } else {
    const b = await plainFit(x, y);
    runs.push({ ours: await ours(set), fit: b });
  }
}
tf.dispose([x, y]);

const median = (v: readonly number[]) => [...v].sort((p, q) => p - q)[Math.floor(v.length / 2)] as number;
const perStep = (ms: readonly number[]) => BATCH / (median(ms) / 1000);
const out = (s: string) => process.stdout.write(`${s}\n`);
const row = (label: string, a: number, b: number) =>
  out(
    `${label.padEnd(24)} ${a.toFixed(1).padStart(12)} ${b.toFixed(1).padStart(17)} ${(a / b).toFixed(3).padStart(12)}`,
  );
out(
  `Trainer overhead: small CNN (conv-BN-ReLU ×3), 32×32×3 synthetic, batch ${BATCH}, ${IMAGES} images per run, native backend`,
);
out('images/s                 ours (img/s)  model.fit (img/s)   ours / fit');
runs.forEach((r, i) => row(`round ${i + 1}, wall time`, r.ours.wall, r.fit.wall));
row('median of rounds', median(runs.map((r) => r.ours.wall)), median(runs.map((r) => r.fit.wall)));
row('median step, all rounds', perStep(runs.flatMap((r) => r.ours.steps)), perStep(runs.flatMap((r) => r.fit.steps)));

const fusedRuns: { plain: Run; fused: Run }[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  const first = await oursOn(handBuilt(round % 2 === 0), set);
  const second = await oursOn(handBuilt(round % 2 === 1), set);
  fusedRuns.push(round % 2 === 1 ? { plain: first, fused: second } : { plain: second, fused: first });
}
out('');
out('BatchNorm kernel, both trained by ours   fused (img/s)  tfjs BN (img/s)  fused / tfjs');
fusedRuns.forEach((r, i) => row(`round ${i + 1}, wall time`, r.fused.wall, r.plain.wall));
row('median of rounds', median(fusedRuns.map((r) => r.fused.wall)), median(fusedRuns.map((r) => r.plain.wall)));
row(
  'median step, all rounds',
  perStep(fusedRuns.flatMap((r) => r.fused.steps)),
  perStep(fusedRuns.flatMap((r) => r.plain.steps)),
);
