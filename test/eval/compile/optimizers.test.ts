// The compiled optimizer updates (src/eval/compile/optimizer.ts) against the eager optimizers of
// src/eval/train/optimizers.ts: from the same initial weights, three steps on one batch give the same
// losses and the same weights (optimizer slots feed the later steps, so a wrong slot shows by step 2
// or 3) for every optimizer, decay rule, clipping and label smoothing. Then dropout in the compiled
// graph: seeded in `train` (same seed pair, same step; another pair, another step) and off in
// `evaluate`/`predict`.
//
// Weight decays are large (0.1) so that a wrong decay term moves the weights well past the tolerance
// in three steps at learning rate 0.05 (5e-4 would change them by ~1e-5 only).
import { describe, expect, it } from 'vitest';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs-node';
import type { ArchNode } from '../../../src/core/arch.js';
import { loadTf } from '../../../src/backend/tf.js';
import { buildModel } from '../../../src/eval/build/build-model.js';
import { compileFromModel, copyWeightsInto } from '../../../src/eval/compile/index.js';
import { inferenceStats, resolveTrainConfig, type TrainConfig } from '../../../src/eval/train/index.js';
import { assertArch } from '../../../src/space/index.js';
import { batchFor, compareSteps, maxDifference, type StepComparison } from './helpers.js';

/**
 * Relative difference allowed (float32 kernels in another order: oneDNN fused vs tfjs op by op).
 * Largest measured over three steps: SGD (all variants, clipping, smoothing) losses 7e-8, weights
 * 1.1e-7; Adam and AdamW losses 1.6e-6, weights 1.5e-6 (Adam divides by √v, which scales the
 * gradients' rounding up where they are small); evaluation 5e-7.
 */
const TOLERANCE = 1e-4;
const STEPS = 3;

/**
 * input → conv → BN → ReLU → conv → BN → ReLU → GAP → [dropout] → dense logits (5 classes).
 *
 * The convolutions have no bias: a bias right before a training-mode BatchNorm has an exactly zero
 * gradient (BN subtracts the batch mean), so both engines compute float noise (~1e-9) for it, and
 * Adam, which divides m by √v, turns that noise into a full ±lr step whose sign is the noise's: the
 * two engines then disagree by ~lr on that bias (measured 0.06 at lr 0.05), which says nothing
 * about either optimizer. The dense bias (and BN γ/β) carry the non-kernel decay cases.
 */
function net(dropout?: number) {
  const nodes: ArchNode[] = [
    { id: 'conv1', op: 'conv', inputs: ['input'], filters: 6, kernel: 3, padding: 'same', bias: false },
    { id: 'bn1', op: 'bn', inputs: ['conv1'] },
    { id: 'relu1', op: 'act', fn: 'relu', inputs: ['bn1'] },
    { id: 'conv2', op: 'conv', inputs: ['relu1'], filters: 8, kernel: 3, stride: 2, padding: 1, bias: false },
    { id: 'bn2', op: 'bn', inputs: ['conv2'] },
    { id: 'relu2', op: 'act', fn: 'relu', inputs: ['bn2'] },
    { id: 'gap', op: 'gap', inputs: ['relu2'] },
    ...(dropout === undefined ? [] : [{ id: 'drop', op: 'dropout', rate: dropout, inputs: ['gap'] } as ArchNode]),
    { id: 'logits', op: 'dense', units: 'classes', inputs: [dropout === undefined ? 'gap' : 'drop'] },
  ];
  return assertArch({ version: 1, nodes, output: 'logits' }, { inputShape: [9, 9, 4], classes: 5 });
}

const ARCH = net();

type Config = Omit<TrainConfig, 'seed'>;

const CASES: readonly [string, Config][] = [
  ['SGD plain (momentum 0)', { optimizer: { kind: 'sgd', momentum: 0, nesterov: false, weightDecay: 0 } }],
  ['SGD momentum, no Nesterov', { optimizer: { kind: 'sgd', momentum: 0.9, nesterov: false, weightDecay: 0 } }],
  ['SGD Nesterov, L2 decay', { optimizer: { kind: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 0.1 } }],
  [
    'SGD decoupled decay',
    { optimizer: { kind: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 0.1, decoupled: true } },
  ],
  ['Adam', { optimizer: { kind: 'adam' } }],
  ['Adam, L2 decay', { optimizer: { kind: 'adam', weightDecay: 0.1 } }],
  ['AdamW', { optimizer: { kind: 'adamw', weightDecay: 0.1 } }],
  ['clipNorm 0.1', { optimizer: { kind: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 5e-4 }, clipNorm: 0.1 }],
  [
    'labelSmoothing 0.1',
    { optimizer: { kind: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 5e-4 }, labelSmoothing: 0.1 },
  ],
  [
    "decayOn 'all' (SGD L2)",
    { optimizer: { kind: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 0.1, decayOn: 'all' } },
  ],
  ["decayOn 'all' (AdamW)", { optimizer: { kind: 'adamw', weightDecay: 0.1, decayOn: 'all' } }],
];

function relative(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(1, Math.abs(a), Math.abs(b));
}

function expectAgreement(r: StepComparison): void {
  expect(r.losses).toHaveLength(STEPS);
  r.losses.forEach(([eager, compiled], step) =>
    expect(relative(eager, compiled), `loss of step ${step + 1}: eager ${eager}, compiled ${compiled}`).toBeLessThan(
      TOLERANCE,
    ),
  );
  expect(r.weights, `worst weight ${r.worstWeight}`).toBeLessThan(TOLERANCE);
  expect(relative(r.evaluation[0], r.evaluation[1]), `evaluation ${r.evaluation.join(' vs ')}`).toBeLessThan(TOLERANCE);
}

describe('compiled optimizers against the eager ones (3 steps)', () => {
  const results = new Map<string, StepComparison>();

  it.each(CASES)('%s', async (label, config) => {
    const r = await compareSteps(ARCH, config, STEPS);
    results.set(label, r);
    expectAgreement(r);
  });

  it('clipping at 0.1 is active: the loss trajectory differs from the unclipped run', async () => {
    const { clipNorm: _, ...unclippedConfig } = CASES.find(([l]) => l === 'clipNorm 0.1')?.[1] as Config;
    const clipped =
      results.get('clipNorm 0.1') ??
      (await compareSteps(ARCH, CASES.find(([l]) => l === 'clipNorm 0.1')?.[1] as Config, STEPS));
    const unclipped = await compareSteps(ARCH, unclippedConfig, STEPS);
    expectAgreement(unclipped);
    // Step 1 sees the same initial weights; from step 2 on the clipped update shows, on both engines.
    expect(relative(clipped.losses[0]?.[1] as number, unclipped.losses[0]?.[1] as number)).toBeLessThan(TOLERANCE);
    for (const step of [1, 2]) {
      for (const engine of [0, 1]) {
        const a = clipped.losses[step]?.[engine] as number;
        const b = unclipped.losses[step]?.[engine] as number;
        expect(
          relative(a, b),
          `step ${step + 1}, ${engine === 0 ? 'eager' : 'compiled'}: clipped ${a}, unclipped ${b}`,
        ).toBeGreaterThan(100 * TOLERANCE);
      }
    }
  });
});

describe('dropout in the compiled graph', () => {
  const tf = loadTf();
  const arch = net(0.5);

  it('train is seeded: one seed pair gives one step, another pair another; evaluate and predict run without dropout', async () => {
    const before = tf.memory().numTensors;
    const model = buildModel(arch, { seed: 3 });
    const compiled = await compileFromModel(
      arch,
      model,
      resolveTrainConfig({ seed: 1, optimizer: { kind: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 5e-4 } }),
    );
    const { x, labels } = batchFor(arch, 16, 5);
    const initial = compiled.readAll();
    const stepWith = (seed: readonly [number, number]): { loss: number; weights: Float32Array } => {
      compiled.assignAll(initial);
      const stats = compiled.train(x, labels, 0.05, seed);
      const values = compiled.readAll();
      const weights = Float32Array.from(values.flatMap((v) => Array.from(v.dataSync())));
      tf.dispose(values);
      return { loss: stats[0] as number, weights };
    };
    try {
      const a = stepWith([11, 12]);
      const again = stepWith([11, 12]);
      const other = stepWith([13, 14]);
      const same = maxDifference(a.weights, again.weights);
      const differ = maxDifference(a.weights, other.weights);
      expect(again.loss).toBe(a.loss);
      expect(same.abs).toBe(0);
      // Measured: losses 1.603 vs 1.823, weights apart by up to 0.18.
      expect(other.loss).not.toBe(a.loss);
      expect(differ.abs).toBeGreaterThan(1e-3);

      // After the step (weights of pair [13, 14]): the eager model given the same weights, in
      // inference mode, agrees with the compiled evaluate and predict; and those are deterministic.
      copyWeightsInto(compiled, model);
      const eager = inferenceStats(model, { x, labels, count: 16 });
      const evaluated = compiled.evaluate(x, labels);
      expect(Array.from(compiled.evaluate(x, labels))).toEqual(Array.from(evaluated));
      expect(
        relative(eager[0] as number, evaluated[0] as number),
        `eager ${eager[0]}, compiled ${evaluated[0]}`,
      ).toBeLessThan(TOLERANCE);
      expect(evaluated[1]).toBe(eager[1]);
      const logits = compiled.predict(x);
      const eagerLogits = tf.tidy(() => model.apply(x, { training: false }) as Tensor2D);
      const d = maxDifference(logits.dataSync(), eagerLogits.dataSync());
      expect(d.rel).toBeLessThan(TOLERANCE);
      tf.dispose([logits, eagerLogits] as Tensor[]);
    } finally {
      tf.dispose([x, labels, ...initial]);
      compiled.dispose();
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
