import type { LayersModel, Tensor, Tensor1D, Tensor4D, Variable } from '@tensorflow/tfjs-node';
import { loadTf } from '../../../src/backend/tf.js';
import { buildModel } from '../../../src/eval/build/build-model.js';
import { compileFromModel, type CompiledModel } from '../../../src/eval/compile/index.js';
import {
  createOptimizer,
  decays,
  inferenceStats,
  resolveTrainConfig,
  trainStep,
  type ResolvedTrainConfig,
  type TrainConfig,
} from '../../../src/eval/train/index.js';
import type { ResolvedArch } from '../../../src/space/resolve.js';

/** The largest difference between two equally long arrays, absolute and relative to the larger magnitude. */
export function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): { abs: number; rel: number } {
  let abs = 0;
  let rel = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] as number) - (b[i] as number));
    abs = Math.max(abs, d);
    rel = Math.max(rel, d / Math.max(1, Math.abs(a[i] as number), Math.abs(b[i] as number)));
  }
  return { abs, rel };
}

/** A seeded batch for an architecture's input. */
export function batchFor(arch: ResolvedArch, n: number, classes: number, seed = 7): { x: Tensor4D; labels: Tensor1D } {
  const tf = loadTf();
  const x = tf.randomNormal(
    [n, ...arch.inputShape] as [number, number, number, number],
    0,
    1,
    'float32',
    seed,
  ) as Tensor4D;
  const labels = tf.tensor1d(
    Array.from({ length: n }, (_, i) => (i * 7 + seed) % classes),
    'int32',
  );
  return { x, labels };
}

export type StepComparison = {
  /** Per step: [eager loss, compiled loss]. */
  readonly losses: readonly (readonly [number, number])[];
  /** Largest relative difference of any weight (moving statistics included) after the steps. */
  readonly weights: number;
  readonly worstWeight: string;
  /** [eager, compiled] evaluation loss of the batch in inference mode after the steps. */
  readonly evaluation: readonly [number, number];
};

/**
 * Trains two copies of one seeded network for `steps` steps on one batch, eagerly (our trainStep and
 * optimizer) and compiled, from the same initial weights, and compares losses, weights and inference.
 */
export async function compareSteps(
  arch: ResolvedArch,
  config: Omit<TrainConfig, 'seed'> = {},
  steps = 1,
  batch = 8,
): Promise<StepComparison> {
  const tf = loadTf();
  const cfg: ResolvedTrainConfig = resolveTrainConfig({ seed: 1, ...config });
  const eager = buildModel(arch, { seed: 3 });
  const twin = buildModel(arch, { seed: 3 });
  const classes = (arch.nodes.at(-1)?.shape[0] ?? 10) as number;
  const { x, labels } = batchFor(arch, batch, classes);
  let compiled: CompiledModel | undefined;
  const params = eager.trainableWeights.map((w) => ({
    variable: w.read() as Variable,
    decay: decays(w.originalName, cfg.optimizer.decayOn),
  }));
  const optimizer = createOptimizer(cfg.optimizer, params);
  try {
    compiled = await compileFromModel(arch, twin, cfg);
    const losses: [number, number][] = [];
    const ctx = {
      model: eager,
      params,
      optimizer,
      labelSmoothing: cfg.labelSmoothing,
      measureNorms: false,
      ...(cfg.clipNorm === undefined ? {} : { clipNorm: cfg.clipNorm }),
    };
    for (let s = 0; s < steps; s++) {
      const e = trainStep(ctx, { x, labels, count: batch }, 0.05);
      const c = compiled.train(x, labels, 0.05);
      losses.push([e.loss, c[0] as number]);
    }
    const evaluation: [number, number] = [
      inferenceStats(eager, { x, labels, count: batch })[0] as number,
      compiled.evaluate(x, labels)[0] as number,
    ];
    const { rel, name } = weightDifference(eager, compiled);
    return { losses, weights: rel, worstWeight: name, evaluation };
  } finally {
    optimizer.dispose();
    compiled?.dispose();
    tf.dispose([x, labels]);
    eager.dispose();
    twin.dispose();
  }
}

function weightDifference(model: LayersModel, compiled: CompiledModel): { rel: number; name: string } {
  const tf = loadTf();
  const values = compiled.readAll();
  const byName = new Map(model.weights.map((w) => [w.originalName, w]));
  let worst = { rel: 0, name: '' };
  compiled.variables.forEach((v, i) => {
    const w = byName.get(v.name);
    if (w === undefined) return;
    const { rel } = maxDifference(w.read().dataSync(), (values[i] as Tensor).dataSync());
    if (rel > worst.rel) worst = { rel, name: v.name };
  });
  tf.dispose(values);
  return worst;
}
