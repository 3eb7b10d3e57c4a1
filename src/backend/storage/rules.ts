import type { EpochMetrics, Trial, TrialState } from '../../core/trial.js';
import { StorageError, StorageMisuseError } from './errors.js';
import {
  EXPERIMENT_STATUSES,
  TRIAL_STATES,
  type ExperimentStatus,
  type NewExperiment,
  type NewTrial,
  type TrialResult,
} from './storage.js';

// The rules both storages enforce, in one place, so that they fail alike and with the same words.

const NAME = /^[\p{L}\p{N}][\p{L}\p{N}._-]{0,99}$/u;

/** Checks a new experiment's name and seed. */
export function checkNewExperiment(input: NewExperiment): void {
  if (!NAME.test(input.name)) {
    throw new StorageError(
      'EXPERIMENT_NAME',
      `experiment name ${JSON.stringify(input.name)} is not allowed`,
      'use 1 to 100 letters, digits, ".", "_" or "-", starting with a letter or digit (it is typed in `nas resume <name>` and names folders)',
    );
  }
  if (!Number.isSafeInteger(input.seed)) {
    throw new StorageMisuseError('INVALID_INPUT', `the seed must be a safe integer, got ${input.seed}`);
  }
}

/** The error for a name already taken in `where` (a file, or "memory"). */
export function experimentExists(name: string, where: string): StorageError {
  return new StorageError(
    'EXPERIMENT_EXISTS',
    `an experiment named "${name}" already exists in ${where}`,
    `continue it with \`nas resume ${name}\`, or start a new one under another name with \`--name <name>\``,
  );
}

/** Checks a status value (it may come from outside TypeScript). */
export function checkStatus(status: ExperimentStatus): void {
  if (!EXPERIMENT_STATUSES.includes(status)) {
    throw new StorageMisuseError('INVALID_INPUT', `unknown experiment status ${JSON.stringify(status)}`);
  }
}

/** Checks a new trial's number and key. */
export function checkNewTrial(input: NewTrial): void {
  if (!Number.isSafeInteger(input.number) || input.number < 0) {
    throw new StorageMisuseError('INVALID_INPUT', `a trial number is a non-negative integer, got ${input.number}`);
  }
  if (typeof input.key !== 'string' || input.key === '') {
    throw new StorageMisuseError('INVALID_INPUT', `trial ${input.number} needs a non-empty key`);
  }
}

/** The error for a trial number used twice in an experiment. */
export function duplicateTrial(experimentId: number, number: number): StorageMisuseError {
  return new StorageMisuseError('DUPLICATE_TRIAL', `experiment ${experimentId} already has a trial numbered ${number}`);
}

/** The error for an id that names no trial. */
export function unknownTrial(trialId: number): StorageMisuseError {
  return new StorageMisuseError('UNKNOWN_TRIAL', `no trial has id ${trialId}`);
}

/** The error for an id that names no experiment. */
export function unknownExperiment(experimentId: number): StorageMisuseError {
  return new StorageMisuseError('UNKNOWN_EXPERIMENT', `no experiment has id ${experimentId}`);
}

/** Checks that `trial` may be finished with `result`. */
export function checkFinish(trial: Pick<Trial, 'id' | 'number' | 'state'>, result: TrialResult): void {
  if (trial.state !== 'RUNNING') {
    throw new StorageMisuseError(
      'TRIAL_FINISHED',
      `trial ${trial.number} (id ${trial.id}) is already ${trial.state}; a trial is finished once`,
    );
  }
  const state = result.state as TrialState;
  if (state === 'RUNNING' || !TRIAL_STATES.includes(state)) {
    throw new StorageMisuseError(
      'INVALID_INPUT',
      `a trial finishes COMPLETE, FAILED or PRUNED, got ${JSON.stringify(state)}`,
    );
  }
  if ((state === 'FAILED') !== (result.reason !== undefined)) {
    throw new StorageMisuseError(
      'INVALID_INPUT',
      `a FAILED trial needs a reason and only a FAILED one takes one (trial ${trial.number}: ${state}, reason ${result.reason})`,
    );
  }
  if (state === 'COMPLETE' && result.outcome === undefined) {
    throw new StorageMisuseError('INVALID_INPUT', `a COMPLETE trial needs an outcome (trial ${trial.number})`);
  }
  if (result.outcome !== undefined) checkOutcomeEpochs(trial, result.outcome.epochs);
}

/** Checks that `trial` may record `metrics` as an epoch. */
export function checkEpoch(trial: Pick<Trial, 'id' | 'number' | 'state'>, metrics: { readonly epoch: number }): void {
  if (trial.state !== 'RUNNING') {
    throw new StorageMisuseError(
      'TRIAL_NOT_RUNNING',
      `trial ${trial.number} (id ${trial.id}) is ${trial.state}; epochs are added while it runs`,
    );
  }
  checkEpochNumber(metrics.epoch);
}

/** The error for an epoch recorded twice. */
export function duplicateEpoch(trial: Pick<Trial, 'id' | 'number'>, epoch: number): StorageMisuseError {
  return new StorageMisuseError('DUPLICATE_EPOCH', `trial ${trial.number} (id ${trial.id}) already has epoch ${epoch}`);
}

/** The error for an epoch's diagnostics recorded twice. */
export function duplicateDiagnostics(trial: Pick<Trial, 'id' | 'number'>, epoch: number): StorageMisuseError {
  return new StorageMisuseError(
    'DUPLICATE_EPOCH',
    `trial ${trial.number} (id ${trial.id}) already has the diagnostics of epoch ${epoch}`,
  );
}

/** Checks an epoch number. */
export function checkEpochNumber(epoch: number): void {
  if (!Number.isSafeInteger(epoch) || epoch < 0) {
    throw new StorageMisuseError('INVALID_INPUT', `an epoch number is a non-negative integer, got ${epoch}`);
  }
}

function checkOutcomeEpochs(trial: Pick<Trial, 'id' | 'number'>, epochs: readonly EpochMetrics[]): void {
  const seen = new Set<number>();
  for (const { epoch } of epochs) {
    checkEpochNumber(epoch);
    if (seen.has(epoch)) throw duplicateEpoch(trial, epoch);
    seen.add(epoch);
  }
}

/** Zero trials in every state. */
export function emptyCounts(): Record<TrialState, number> {
  return { RUNNING: 0, COMPLETE: 0, FAILED: 0, PRUNED: 0 };
}
