import type { DiagnosticFlag, TrainDiagnostics } from '../../core/diagnostics.js';
import type { EpochMetrics, FailureReason } from '../../core/trial.js';
import { UserError } from '../../core/errors.js';

/**
 * The training loss became NaN or infinite: that trial failed (reason `diverged`), the search goes
 * on. Carries the 1-based step whose loss was not finite and the epochs completed before it, and with
 * `diagnostics` on, the checks made until then (they often say why).
 */
export class DivergedError extends Error {
  readonly reason: FailureReason = 'diverged';
  readonly code = 'DIVERGED';

  constructor(
    readonly step: number,
    readonly epoch: number,
    readonly loss: number,
    readonly epochs: readonly EpochMetrics[],
    readonly diagnostics?: TrainDiagnostics,
  ) {
    super(`training diverged: the loss of step ${step} (epoch ${epoch}) is ${loss}`);
    this.name = 'DivergedError';
  }
}

/**
 * A flag that `train.diagnostics.stopOn` names was raised (docs/training.md, *Diagnostics*): the run
 * stops there and that trial fails with reason `diagnostics`. Carries the flag, the epochs completed
 * before it and the diagnostics until then.
 */
export class DiagnosticsStopError extends Error {
  readonly reason = 'diagnostics' as const;
  readonly code = 'DIAGNOSTICS_STOP';

  constructor(
    readonly flag: DiagnosticFlag,
    readonly epoch: number,
    readonly epochs: readonly EpochMetrics[],
    readonly diagnostics: TrainDiagnostics,
  ) {
    const where = flag.layer === undefined ? 'the global gradient norm' : `layer ${flag.layer}`;
    super(
      `training stopped by diagnostics.stopOn: ${flag.kind} at ${where}, step ${flag.step} (epoch ${epoch}): ${flag.value} against the threshold ${flag.threshold}, since step ${flag.firstStep}`,
    );
    this.name = 'DiagnosticsStopError';
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
