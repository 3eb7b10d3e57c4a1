/**
 * Convergence of the mixed-precision variants: the same MNIST network from the same initial weights
 * trained on the same batches, a step of each variant in turn, then test accuracy through the
 * float32 `evaluate` signature (the master weights).
 */
import type { Tensor1D, Tensor4D } from '@tensorflow/tfjs-node';
import { loadTf } from '../../src/backend/tf.js';
import { loadMnist } from '../../src/backend/data/mnist.js';
import { buildModel } from '../../src/eval/build/build-model.js';
import type { CompileTrainConfig } from '../../src/eval/compile/compile.js';
import type { CompiledModel } from '../../src/eval/compile/compiled-model.js';
import { mnistNet } from './networks.js';
import { buildTraining, loadWithWeights, variantGraph, type Variant } from './variants.js';

export type ConvergenceRow = {
  readonly variant: Variant;
  /** Mean training loss over each window of steps. */
  readonly windows: readonly number[];
  readonly testAccuracy: number;
  readonly testLoss: number;
  readonly seconds: number;
};

/** A seeded permutation (mulberry32 Fisher–Yates): every variant sees the same batches. */
function permutation(n: number, seed: number): Uint32Array {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const p = new Uint32Array(n).map((_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [p[i], p[j]] = [p[j] as number, p[i] as number];
  }
  return p;
}

export async function convergence(
  variants: readonly Variant[],
  train: CompileTrainConfig,
  o: { steps: number; batch: number; lr: number; window: number; testImages: number },
): Promise<ConvergenceRow[]> {
  const tf = loadTf();
  const data = await loadMnist();
  const arch = mnistNet();
  const built = buildTraining(arch, train);
  const model = buildModel(arch, { seed: 7 });
  const models: CompiledModel[] = [];
  for (const v of variants) models.push(await loadWithWeights(variantGraph(built, v).compiled, model));
  model.dispose();
  const pixels = 28 * 28;
  const order = permutation(data.train.count, 11);
  const losses = variants.map(() => [] as number[]);
  const seconds = variants.map(() => 0);
  for (let s = 0; s < o.steps; s++) {
    const xs = new Float32Array(o.batch * pixels);
    const ys = new Int32Array(o.batch);
    for (let b = 0; b < o.batch; b++) {
      const k = order[(s * o.batch + b) % data.train.count] as number;
      xs.set(data.train.images.subarray(k * pixels, (k + 1) * pixels), b * pixels);
      ys[b] = data.train.labels[k] as number;
    }
    const x = tf.tensor4d(xs, [o.batch, 28, 28, 1]) as Tensor4D;
    const y = tf.tensor1d(ys, 'int32') as Tensor1D;
    for (let k = 0; k < models.length; k++) {
      const i = (k + s) % models.length;
      const t = performance.now();
      const stats = (models[i] as CompiledModel).train(x, y, o.lr);
      seconds[i] = (seconds[i] as number) + (performance.now() - t) / 1000;
      (losses[i] as number[]).push(stats[0] as number);
    }
    tf.dispose([x, y]);
  }
  const rows: ConvergenceRow[] = [];
  const testCount = Math.min(o.testImages, data.test.count);
  const chunk = 1000;
  for (const [i, v] of variants.entries()) {
    let correct = 0;
    let lossSum = 0;
    for (let start = 0; start < testCount; start += chunk) {
      const n = Math.min(chunk, testCount - start);
      const x = tf.tensor4d(data.test.images.subarray(start * pixels, (start + n) * pixels), [
        n,
        28,
        28,
        1,
      ]) as Tensor4D;
      const y = tf.tensor1d(Int32Array.from(data.test.labels.subarray(start, start + n)), 'int32') as Tensor1D;
      const [loss, hits] = (models[i] as CompiledModel).evaluate(x, y);
      lossSum += (loss as number) * n;
      correct += hits as number;
      tf.dispose([x, y]);
    }
    const l = losses[i] as number[];
    const windows: number[] = [];
    for (let w = 0; w < l.length; w += o.window)
      windows.push(l.slice(w, w + o.window).reduce((a, b) => a + b, 0) / Math.min(o.window, l.length - w));
    rows.push({
      variant: v,
      windows,
      testAccuracy: correct / testCount,
      testLoss: lossSum / testCount,
      seconds: seconds[i] as number,
    });
    (models[i] as CompiledModel).dispose();
  }
  return rows;
}
