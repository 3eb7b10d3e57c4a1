import type { EpochMetrics, FailureReason } from '../../core/trial.js';
import { UserError } from '../../core/errors.js';

/**
 * The training loss became NaN or infinite: that trial failed (reason `diverged`), the search goes
 * on. Carries the 1-based step whose loss was not finite and the epochs completed before it.
 */
export class DivergedError extends Error {
  readonly reason: FailureReason = 'diverged';
  readonly code = 'DIVERGED';

  constructor(
    readonly step: number,
    readonly epoch: number,
    readonly loss: number,
    readonly epochs: readonly EpochMetrics[],
  ) {
    super(`training diverged: the loss of step ${step} (epoch ${epoch}) is ${loss}`);
    this.name = 'DivergedError';
  }
}

/** A TrainConfig is invalid, or does not fit the data given; the message lists every problem. */
export class TrainConfigError extends UserError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[], what = 'train config') {
    const n = problems.length;
    super(
      'TRAIN_CONFIG',
      [`${what} is invalid (${n} problem${n === 1 ? '' : 's'})`, ...problems.map((p) => `  • ${p}`)].join('\n'),
      'docs/training.md lists every TrainConfig field with its range and default',
    );
    this.problems = problems;
  }
}
