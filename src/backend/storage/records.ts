import type { Trial, TrialOutcome } from '../../core/trial.js';
import { diagnosticsSummary } from '../../core/trial-diagnostics.js';
import type { NewTrial, TrialResult } from './storage.js';

// How a trial record looks when it starts and when it ends: built here for both storages, so that
// they return the same shapes (no `undefined` members; optional ones are absent).

/** How a trial ends that was RUNNING when the process running the search died (found on resume). */
export const INTERRUPTED: TrialResult = {
  state: 'FAILED',
  reason: 'interrupted',
  message: 'the process running the search ended while this trial ran',
};

/** A new RUNNING trial (its values copied). */
export function runningTrial(id: number, input: NewTrial, now: number): Trial {
  const { number, sample, key, fidelity, worker, retryOf, continues } = structuredClone(input);
  return {
    id,
    number,
    sample,
    key,
    state: 'RUNNING',
    ...(fidelity === undefined ? {} : { fidelity }),
    ...(worker === undefined ? {} : { worker }),
    ...(retryOf === undefined ? {} : { retryOf }),
    ...(continues === undefined ? {} : { continues }),
    startedAt: now,
  };
}

/** `trial` ended with `result` at `now` (the result's values copied). */
export function finishedTrial(trial: Trial, result: TrialResult, now: number): Trial {
  const { state, reason, message, outcome, diagnostics } = structuredClone(result);
  return {
    ...trial,
    state,
    ...(reason === undefined ? {} : { reason }),
    ...(message === undefined ? {} : { message }),
    ...(outcome === undefined ? {} : { outcome: recordedOutcome(outcome) }),
    ...(outcome !== undefined || diagnostics === undefined ? {} : { diagnostics: diagnosticsSummary(diagnostics) }),
    finishedAt: now,
  };
}

/** An outcome as the trial record keeps it: of its diagnostics, the interval and the flags. */
function recordedOutcome(outcome: TrialOutcome): TrialOutcome {
  const { diagnostics, ...rest } = outcome;
  return diagnostics === undefined ? rest : { ...rest, diagnostics: diagnosticsSummary(diagnostics) };
}
