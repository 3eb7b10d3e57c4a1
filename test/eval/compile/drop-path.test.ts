// drop_path in the compiled graph (src/eval/compile/lower/index.ts). The compiled and eager engines
// draw their masks from different generators (TensorFlow's stateless uniform, tfjs's seeded uniform;
// docs/training.md), so, as for dropout, they are compared where they must agree (rate 0, inference)
// and each is checked alone in training: on 4,000 examples, whole examples zeroed at the rate (within
// 4σ of the binomial), the kept ones scaled by 1 / (1 − rate), one mask per seed pair; the gradient
// (through the compiler's own rules) zero on dropped examples and dy / (1 − rate) on kept ones.
import type { Tensor, Tensor2D } from '@tensorflow/tfjs-node';
import { afterAll, describe, expect, it } from 'vitest';
import type { DropPathNode } from '../../../src/core/arch.js';
import { loadTf } from '../../../src/backend/tf.js';
import { buildModel } from '../../../src/eval/build/build-model.js';
import { gradients } from '../../../src/eval/compile/autodiff.js';
import { CompiledModel } from '../../../src/eval/compile/compiled-model.js';
import { Emit } from '../../../src/eval/compile/emit.js';
import { Graph } from '../../../src/eval/compile/graph.js';
import { compileFromModel, copyWeightsInto } from '../../../src/eval/compile/index.js';
import { lowerNode, type LowerContext } from '../../../src/eval/compile/lower/index.js';
import { placeholder } from '../../../src/eval/compile/parts.js';
import { savedModelBytes } from '../../../src/eval/compile/saved-model.js';
import { inferenceStats, resolveTrainConfig } from '../../../src/eval/train/index.js';
import { batchFor, compareSteps, maxDifference } from './helpers.js';
import { net } from './op-net.js';

const tf = loadTf();
const N = 4000;
const ROW = 3 * 2 * 4;
const RATE = 0.25;
const loaded: CompiledModel[] = [];
afterAll(() => loaded.forEach((m) => m.dispose()));

/** One graph: y = drop_path(x) in training and in inference mode, and dx for a given dy (training). */
async function dropPathGraph(rate: number): Promise<CompiledModel> {
  const e = new Emit(new Graph());
  const x = placeholder(e, 'x', [-1, 3, 2, 4]);
  const dy = placeholder(e, 'dy', [-1, 3, 2, 4]);
  const seed = placeholder(e, 'seed', [2], 'int32');
  const node: DropPathNode = { id: 'dp', op: 'drop_path', inputs: ['input'], rate };
  const ctx = (training: boolean): LowerContext => ({
    e,
    training,
    weight: () => {
      throw new Error('drop_path has no weights');
    },
    batchStatistics: () => undefined,
    randomSeed: () => seed,
    alphaShape: () => {
      throw new Error('no alpha');
    },
  });
  const train = lowerNode(ctx(true), 'dp', node, [x]);
  const [dx] = gradients(e, train, [x], dy);
  const infer = e.unary('Identity', lowerNode(ctx(false), 'dp', node, [x]));
  // Each output through an Identity: at rate 0 and in inference, y is x itself and dx is dy (fed and fetched).
  const signatures = {
    train: {
      inputs: { x, dy, seed },
      outputs: { y: e.unary('Identity', train), dx: e.unary('Identity', dx as typeof x) },
    },
    infer: { inputs: { x }, outputs: { y: infer } },
  };
  const model = await CompiledModel.load({
    bytes: savedModelBytes(e.g, signatures),
    variables: [],
    needsSeed: true,
    nodeCount: e.g.nodes.length,
    signatures: Object.keys(signatures),
  });
  loaded.push(model);
  return model;
}

/** Runs a signature and reads every output back. */
function run(model: CompiledModel, name: string, feed: Record<string, Tensor>): Record<string, Float32Array> {
  const out = model.outputs(name, feed);
  const read = Object.fromEntries(
    Object.entries(out).map(([k, t]) => [k, Float32Array.from(t.dataSync() as Float32Array)]),
  );
  tf.dispose(Object.values(out));
  return read;
}

describe('drop_path in the compiled graph', () => {
  it('training: whole examples dropped at the rate (within 4σ), kept ones and their gradients scaled by 1/(1−rate), dropped gradients 0; seeded', async () => {
    const model = await dropPathGraph(RATE);
    const x = tf.randomNormal([N, 3, 2, 4], 0, 1, 'float32', 6);
    const dy = tf.randomNormal([N, 3, 2, 4], 0, 1, 'float32', 7);
    const seeds = [tf.tensor1d([3, 4], 'int32'), tf.tensor1d([3, 5], 'int32')];
    try {
      const step = (seed: Tensor) => run(model, 'train', { x, dy, seed });
      const { y, dx } = step(seeds[0] as Tensor) as { y: Float32Array; dx: Float32Array };
      const xs = x.dataSync() as Float32Array;
      const g = dy.dataSync() as Float32Array;
      const mask: boolean[] = [];
      let worst = 0;
      let nonZeroOnDropped = 0;
      for (let r = 0; r < N; r++) {
        const kept = Array.from(y.subarray(r * ROW, (r + 1) * ROW)).some((v) => v !== 0);
        mask.push(kept);
        for (let i = r * ROW; i < (r + 1) * ROW; i++) {
          if (!kept && (y[i] !== 0 || dx[i] !== 0)) nonZeroOnDropped++;
          if (kept)
            worst = Math.max(
              worst,
              Math.abs((y[i] as number) - (xs[i] as number) / (1 - RATE)),
              Math.abs((dx[i] as number) - (g[i] as number) / (1 - RATE)),
            );
        }
      }
      const dropped = mask.filter((k) => !k).length;
      expect(Math.abs(dropped - N * RATE)).toBeLessThan(4 * Math.sqrt(N * RATE * (1 - RATE)));
      expect(nonZeroOnDropped).toBe(0);
      expect(worst).toBeLessThan(1e-6);
      // One seed pair, one mask; another pair, another mask.
      expect(step(seeds[0] as Tensor).y).toEqual(y);
      expect(step(seeds[1] as Tensor).y).not.toEqual(y);
    } finally {
      tf.dispose([x, dy, ...seeds]);
    }
  });

  it('inference, and training at rate 0: the identity, value for value', async () => {
    const x = tf.randomNormal([N, 3, 2, 4], 0, 1, 'float32', 8);
    const dy = tf.onesLike(x);
    const seed = tf.tensor1d([1, 2], 'int32');
    try {
      const want = x.dataSync() as Float32Array;
      expect(run(await dropPathGraph(RATE), 'infer', { x }).y).toEqual(want);
      const zero = run(await dropPathGraph(0), 'train', { x, dy, seed });
      expect(zero.y).toEqual(want);
      expect(zero.dx).toEqual(new Float32Array(want.length).fill(1));
    } finally {
      tf.dispose([x, dy, seed]);
    }
  });

  it('in a network: rate 0 trains as the eager engine does; at rate 0.5 the step is seeded and inference agrees with the eager model', async () => {
    const r = await compareSteps(
      net({ op: 'drop_path', rate: 0 }),
      { optimizer: { kind: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 5e-4 } },
      2,
    );
    for (const [eager, compiled] of r.losses)
      expect(Math.abs(eager - compiled) / Math.max(1, Math.abs(eager))).toBeLessThan(1e-4);
    expect(r.weights).toBeLessThan(1e-4);

    const arch = net({ op: 'drop_path', rate: 0.5 });
    const model = buildModel(arch, { seed: 3 });
    const compiled = await compileFromModel(arch, model, resolveTrainConfig({ seed: 1 }));
    const { x, labels } = batchFor(arch, 16, 5);
    const initial = compiled.readAll();
    const stepWith = (seed: readonly [number, number]): number => {
      compiled.assignAll(initial);
      return compiled.train(x, labels, 0.05, seed)[0] as number;
    };
    try {
      const a = stepWith([11, 12]);
      expect(stepWith([11, 12])).toBe(a);
      expect(stepWith([13, 14])).not.toBe(a);
      copyWeightsInto(compiled, model);
      const eager = inferenceStats(model, { x, labels, count: 16 });
      const evaluated = compiled.evaluate(x, labels);
      expect(Math.abs((eager[0] as number) - (evaluated[0] as number)) / Math.abs(eager[0] as number)).toBeLessThan(
        1e-4,
      );
      const logits = compiled.predict(x);
      const eagerLogits = tf.tidy(() => model.apply(x, { training: false }) as Tensor2D);
      expect(maxDifference(logits.dataSync(), eagerLogits.dataSync()).rel).toBeLessThan(1e-4);
      tf.dispose([logits, eagerLogits] as Tensor[]);
    } finally {
      tf.dispose([x, labels, ...initial]);
      compiled.dispose();
      model.dispose();
    }
  });
});
