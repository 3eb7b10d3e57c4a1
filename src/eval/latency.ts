import type { LayersModel, Rank, Tensor, Tensor4D } from '@tensorflow/tfjs-node';
import { loadTf } from '../backend/tf.js';

/** How to time: untimed warm-up runs, then the median of timed runs. */
export type TimingOptions = { readonly warmup?: number; readonly repeats?: number };

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Median wall time in ms of `run` (which must wait for its result), after warm-up. */
export function timeMedian(run: () => void, options: TimingOptions = {}): number {
  for (let i = 0; i < (options.warmup ?? 3); i++) run();
  const times: number[] = [];
  for (let i = 0; i < (options.repeats ?? 10); i++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  return median(times);
}

/**
 * Measured inference latency of a built model at a batch size: median ms of `predict` on zeros,
 * reading back one number so the time includes the whole computation (not the tensor transfer).
 */
export function measureLatencyMs(model: LayersModel, batch: number, options: TimingOptions = {}): number {
  const shape = model.inputs[0]?.shape.slice(1) as number[];
  return measureMedianMs((x) => model.predict(x) as Tensor, [batch, ...shape], options);
}

/** Median ms of `predict` on zeros of `shape`, reading back one number of its output. */
export function measureMedianMs(
  predict: (x: Tensor4D) => Tensor,
  shape: readonly number[],
  options: TimingOptions = {},
): number {
  const tf = loadTf();
  const x = tf.zeros<Rank.R4>([...shape] as [number, number, number, number]);
  try {
    return timeMedian(() => {
      tf.tidy(() => {
        predict(x).sum().dataSync();
      });
    }, options);
  } finally {
    x.dispose();
  }
}

/**
 * The machine's measured peak in FLOP/s for float32 on the native backend: the best of a few square
 * matrix products (n³ multiply-adds, 2n³ FLOPs), a practical ceiling for the cost model's estimate.
 */
export function measurePeakFlops(n = 1024, options: TimingOptions = { warmup: 2, repeats: 5 }): number {
  const tf = loadTf();
  const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
  const b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
  try {
    const ms = timeMedian(() => {
      tf.tidy(() => {
        tf.matMul(a, b).sum().dataSync();
      });
    }, options);
    return (2 * n ** 3) / (ms / 1000);
  } finally {
    tf.dispose([a, b]);
  }
}
