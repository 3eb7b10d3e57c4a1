// Gradient checkpointing in the compiled graph (src/eval/compile/checkpoint.ts): the same network
// compiled with K segments and without, from the same weights, has the same loss and gradients — the
// backward pass reads recomputed activations, the first forward's values computed again. One plain
// SGD step of learning rate 1 without decay makes each weight's change its gradient, so comparing
// the weights afterwards compares the gradients. They agree to float noise, not bit for bit:
// grappler fuses a conv with its bias and activation only where the conv's output has one reader,
// which checkpointing changes (measured worst: 2.2e-5 on gradients of order 0.1–1).
import type { Tensor } from '@tensorflow/tfjs-node';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTf } from '../../../src/backend/tf.js';
import { Rng } from '../../../src/core/rng.js';
import { buildModel } from '../../../src/eval/build/build-model.js';
import { compileArch, compileFromModel, type CompiledModel } from '../../../src/eval/compile/index.js';
import { resolveTrainConfig, type ResolvedTrainConfig } from '../../../src/eval/train/index.js';
import { segmentCount, type SegmentSpec } from '../../../src/space/cost/segments.js';
import { createSpace } from '../../../src/space/spaces/index.js';
import { assertArch, type ResolvedArch } from '../../../src/space/index.js';
import { batchFor, maxDifference } from './helpers.js';

const CIFAR = { inputShape: [16, 16, 3], classes: 10 } as const;

function macroDeep(): ResolvedArch {
  const space = createSpace('macro', {});
  const stage = (block: string, width: number, stride: number, attention: string) => ({
    block,
    kernel: 3,
    expansion: 2,
    width,
    depth: 3,
    stride,
    attention,
  });
  return assertArch(
    space.freeze({
      stages: [
        stage('basic', 8, 1, 'se'),
        stage('bottleneck', 16, 2, 'none'),
        stage('inverted_residual', 16, 2, 'cbam'),
      ],
    } as never),
    CIFAR,
  );
}

function dartsSample(): ResolvedArch {
  const space = createSpace('darts', { layers: 3, channels: 4 });
  return assertArch(space.freeze(space.sample(new Rng('checkpointing'))), CIFAR);
}

function nb201Sample(): ResolvedArch {
  const space = createSpace('nb201', { channels: 4, cells: 1 });
  return assertArch(
    space.freeze(
      space.parse('|nor_conv_3x3~0|+|skip_connect~0|avg_pool_3x3~1|+|nor_conv_1x1~0|none~1|nor_conv_3x3~2|'),
    ),
    CIFAR,
  );
}

const NETWORKS: readonly (readonly [string, () => ResolvedArch])[] = [
  ['macro, 9 blocks with SE and CBAM', macroDeep],
  ['darts, 3 cells', dartsSample],
  ['nb201', nb201Sample],
];
let worst = 0;

/** One step of the network compiled with and without checkpointing, from one model's weights. */
async function oneStep(
  arch: ResolvedArch,
  segments: SegmentSpec,
): Promise<{ losses: [number, number]; gradients: number }> {
  const tf = loadTf();
  const base = resolveTrainConfig({
    seed: 1,
    optimizer: { kind: 'sgd', momentum: 0, nesterov: false, weightDecay: 0 },
    labelSmoothing: 0.1,
    clipNorm: 5,
  });
  const cfg: ResolvedTrainConfig = { ...base, checkpointing: { segments } };
  const model = buildModel(arch, { seed: 3 });
  const { x, labels } = batchFor(arch, 4, 10);
  const models: CompiledModel[] = [];
  try {
    models.push(await compileFromModel(arch, model, base), await compileFromModel(arch, model, cfg));
    const [plain, checkpointed] = models as [CompiledModel, CompiledModel];
    const losses: [number, number] = [
      plain.train(x, labels, 1)[0] as number,
      checkpointed.train(x, labels, 1)[0] as number,
    ];
    const [a, b] = [plain.readAll(), checkpointed.readAll()];
    const gradients = Math.max(...a.map((t, i) => maxDifference(t.dataSync(), (b[i] as Tensor).dataSync()).abs));
    tf.dispose([...a, ...b]);
    return { losses, gradients };
  } finally {
    models.forEach((m) => m.dispose());
    tf.dispose([x, labels]);
    model.dispose();
  }
}

describe('compiled training with gradient checkpointing', () => {
  for (const [label, make] of NETWORKS) {
    const arch = make();
    const n = arch.nodes.filter((node) => !node.alias).length;
    it.each([1, 2, 'sqrt', n] as const)(
      `${label}: segments %s give the loss and gradients of the plain graph`,
      async (segments) => {
        const r = await oneStep(arch, segments);
        expect(Math.abs(r.losses[0] - r.losses[1]), `losses ${r.losses.join(' vs ')}`).toBeLessThan(1e-5);
        expect(r.gradients).toBeLessThan(1e-4);
        worst = Math.max(worst, r.gradients);
      },
    );
  }

  it('recomputes every activation op of the forward once: the graph grows by the same ops for every K', () => {
    const arch = macroDeep();
    const train = resolveTrainConfig({ seed: 1 });
    const plain = compileArch(arch, train).nodeCount;
    const counts = [1, 3, 'sqrt' as const].map(
      (segments) => compileArch(arch, { ...train, checkpointing: { segments } }).nodeCount - plain,
    );
    // Every K recomputes the same ops (the forward's activation ops, each in exactly one segment).
    expect(new Set(counts).size).toBe(1);
    expect(counts[0]).toBeGreaterThan(arch.nodes.length);
    expect(segmentCount(arch, 'sqrt')).toBe(Math.ceil(Math.sqrt(arch.nodes.filter((node) => !node.alias).length)));
  });

  afterAll(() => console.log(`checkpointed vs plain compiled gradients: worst difference ${worst.toExponential(1)}`));
});
