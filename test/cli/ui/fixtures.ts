import { stripVTControlCharacters } from 'node:util';
import { Writable } from 'node:stream';
import type { PrunedAt, RunEvent } from '../../../src/core/events.js';
import type { EpochMetrics, Trial } from '../../../src/core/trial.js';
import type { DashboardHeader } from '../../../src/cli/ui/header.js';
import { prunedMessage } from '../../../src/run/trial-pruner.js';

/** A single-objective header: 20 trials, 2 workers, 3 epochs. */
export const HEADER: DashboardHeader = {
  experiment: 'nb201-c10',
  space: 'nb201',
  strategy: 'random',
  dataset: 'cifar10',
  seed: 42,
  budget: { trials: 20 },
  workers: 2,
  objectives: [{ metric: 'validationAccuracy', direction: 'max' }],
  epochs: 3,
};

/** The same run with a second objective (fewer params). */
export const MULTI: DashboardHeader = {
  ...HEADER,
  objectives: [
    { metric: 'validationAccuracy', direction: 'max' },
    { metric: 'params', direction: 'min' },
  ],
};

/** Trial `number` (id = number + 1) started at `startedAt`, with sample { n: number }. */
export function running(number: number, startedAt = 1000): Trial {
  return { id: number + 1, number, sample: { n: number }, key: `{"n":${number}}`, state: 'RUNNING', startedAt };
}

/** Trial `number` complete with the given accuracy and params, `seconds` after it started. */
export function complete(number: number, accuracy: number, params = 100_000, seconds = 10, startedAt = 1000): Trial {
  return {
    ...running(number, startedAt),
    state: 'COMPLETE',
    finishedAt: startedAt + seconds * 1000,
    outcome: {
      metrics: { validationAccuracy: accuracy, validationLoss: 1 - accuracy },
      cost: {
        params,
        paramsTotal: params,
        macs: params * 100,
        trainMemoryBytes: 1 << 20,
        inferenceMemoryBytes: 1 << 16,
        estimatedLatencyMs: params / 100_000,
      },
      epochs: [],
      seconds,
    },
  };
}

/** Trial `number` failed for `reason`. */
export function failed(
  number: number,
  reason: Trial['reason'],
  message?: string,
  seconds = 2,
  startedAt = 1000,
): Trial {
  return {
    ...running(number, startedAt),
    state: 'FAILED',
    ...(reason === undefined ? {} : { reason }),
    ...(message === undefined ? {} : { message }),
    finishedAt: startedAt + seconds * 1000,
  };
}

/** Trial `number` recorded PRUNED at `at`, as the driver records it (its message from `prunedMessage`). */
export function pruned(number: number, at: PrunedAt, seconds = 5, startedAt = 1000): Trial {
  return {
    ...running(number, startedAt),
    state: 'PRUNED',
    message: prunedMessage(at),
    finishedAt: startedAt + seconds * 1000,
  };
}

/** Epoch metrics with the given validation accuracy. */
export function epoch(n: number, validationAccuracy: number, trainLoss = 1): EpochMetrics {
  return {
    epoch: n,
    trainLoss,
    trainAccuracy: validationAccuracy,
    validationLoss: trainLoss,
    validationAccuracy,
    learningRate: 0.1,
    seconds: 1,
  };
}

/** The events of a trial's start and end. */
export function started(trial: Trial, t = trial.startedAt): RunEvent {
  return { type: 'trial-started', t, trial: { ...trial, state: 'RUNNING' } };
}

export function finished(trial: Trial): RunEvent {
  return { type: 'trial-finished', t: trial.finishedAt ?? trial.startedAt, trial };
}

export const EXPERIMENT_STARTED: Extract<RunEvent, { type: 'experiment-started' }> = {
  type: 'experiment-started',
  t: 1000,
  experiment: 'nb201-c10',
  resumed: false,
  budget: { trials: 20 },
  workers: 2,
};

/** A Writable that keeps what is written, as text. */
export class Collect extends Writable {
  readonly chunks: string[] = [];

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.chunks.push(chunk.toString());
    done();
  }

  text(): string {
    return this.chunks.join('');
  }
}

/** A frame without colour codes, trailing spaces trimmed per line. */
export function plain(frame: string | undefined): string {
  return stripVTControlCharacters(frame ?? '')
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n');
}
