import type { EpochMetrics, TrialOutcome } from '../../../src/core/trial.js';

// Values the storage tests write: plain trial data as a search produces it.

/** A clock that ticks 1 ms per call from `start`, so that both storages stamp the same times. */
export function tickingClock(start = 1_000_000): () => number {
  let t = start;
  return () => t++;
}

/** One epoch's metrics; `epoch` and any field may be given. */
export function epoch(n: number, over: Partial<EpochMetrics> = {}): EpochMetrics {
  return {
    epoch: n,
    trainLoss: 2 - n * 0.25,
    trainAccuracy: 0.5 + n * 0.05,
    validationLoss: 2.1 - n * 0.2,
    validationAccuracy: 0.45 + n * 0.05,
    learningRate: 0.1 / (n + 1),
    seconds: 3.5,
    ...over,
  };
}

/** A finished trial's outcome with `epochs` epochs; metrics may be overridden. */
export function outcome(epochs = 2, metrics: Record<string, number> = {}): TrialOutcome {
  const curve = Array.from({ length: epochs }, (_, i) => epoch(i));
  return {
    metrics: { validationAccuracy: 0.91, trainLoss: 0.3, ...metrics },
    cost: {
      params: 12_345,
      paramsTotal: 12_409,
      macs: 7_000_000_000,
      trainMemoryBytes: 3_500_000,
      inferenceMemoryBytes: 1_200_000,
      estimatedLatencyMs: 1.25,
    },
    epochs: curve,
    seconds: 7.25,
  };
}

/** A sample shaped like a cell-space sample. */
export function sample(i: number): { ops: string[]; width: number } {
  return { ops: ['conv3x3', i % 2 === 0 ? 'skip' : 'maxpool'], width: 16 + i };
}
