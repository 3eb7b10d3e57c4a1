import { availableParallelism } from 'node:os';

/**
 * Trials trained at once when a config does not say: one per two cores. On this project's 2-core
 * machines one worker using both cores (TensorFlow's intra-op threads) trained the default
 * experiment faster than two single-threaded workers (docs/config.md, "workers", has the figures).
 */
export function plannedWorkers(cores = availableParallelism()): number {
  return Math.max(1, Math.floor(cores / 2));
}
