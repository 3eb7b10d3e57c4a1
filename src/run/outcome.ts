import type { FailureReason, TrialOutcome } from '../core/trial.js';
import type { TrialDiagnostics } from '../core/trial-diagnostics.js';
import type { TrialTaskOutcome } from './evaluator.js';

/** How the driver records a finished trial. */
export type FinishedAs = {
  readonly state: 'COMPLETE' | 'FAILED' | 'PRUNED';
  readonly reason?: FailureReason;
  readonly message?: string;
  readonly outcome?: TrialOutcome;
  /** Of a trial finished without an outcome: the diagnostics it reported while it ran (interval and flags). */
  readonly diagnostics?: TrialDiagnostics;
};

const REASONS: ReadonlySet<string> = new Set<FailureReason>([
  'diverged',
  'invalid',
  'out-of-memory',
  'timeout',
  'cancelled',
  'crashed',
  'interrupted',
  'disk-full',
  'read-only',
  'diagnostics',
  'worker-lost',
  'error',
]);

/** How a pool outcome is recorded: COMPLETE with its metrics, or FAILED with a reason and message. */
export function outcomeToFinish(outcome: TrialTaskOutcome): FinishedAs {
  if (outcome.ok) return { state: 'COMPLETE', outcome: outcome.value };
  const fromError =
    outcome.error.reason !== undefined && REASONS.has(outcome.error.reason)
      ? (outcome.error.reason as FailureReason)
      : undefined;
  const reason: FailureReason =
    outcome.kind === 'error' ? (fromError ?? oomOrError(outcome.error.message)) : outcome.kind;
  return { state: 'FAILED', reason, message: `${outcome.error.name}: ${outcome.error.message}`.slice(0, 2000) };
}

/**
 * A trial finished without an outcome (stopped by `diagnostics.stopOn`, diverged, pruned, cancelled)
 * keeps in its record the interval and the flags of the diagnostics it reported while it ran; an
 * outcome carries its own.
 */
export function withDiagnostics(result: FinishedAs, reported: TrialDiagnostics | undefined): FinishedAs {
  return result.outcome !== undefined || reported === undefined ? result : { ...result, diagnostics: reported };
}

function oomOrError(message: string): FailureReason {
  return /out of memory|OOM|ResourceExhausted|Cannot allocate|Array buffer allocation failed/i.test(message)
    ? 'out-of-memory'
    : 'error';
}
