// The local evaluator of a search: the isolated trial pool (docs/architecture.md).
import { IsolatedPool } from '../backend/pool/isolated-pool.js';
import type { EntryOf } from '../backend/pool/protocol.js';
import { planThreads } from '../backend/tf.js';
import type { ExperimentConfig } from './config.js';
import type { Evaluator } from './evaluator.js';
import type evaluateTrial from './worker/trial-worker.js';

const TRIAL_WORKER: EntryOf<typeof evaluateTrial> = { url: new URL('./worker/trial-worker.ts', import.meta.url).href };

/** The pool that trains trials: Piscina worker threads in a watched child process. */
export function trialPool(config: ExperimentConfig): Evaluator {
  return trialPoolOf(config.workers);
}

/**
 * The trial pool with `workers` threads (a `nas worker` runs its trials on one). Each trial's
 * TensorFlow gets `threads` intra-op threads (and the process `workers × threads` inter-op ones);
 * by default the machine's cores are split between the workers ({@link planThreads}).
 */
export function trialPoolOf(workers: number, threads?: number): Evaluator {
  const plan = threads === undefined ? planThreads(workers) : { intraOp: threads, interOp: workers * threads };
  const pool = new IsolatedPool({ workerEntry: TRIAL_WORKER, workers, threads: plan });
  return { concurrency: workers, run: (task, options) => pool.run(task, options), close: () => pool.close() };
}
