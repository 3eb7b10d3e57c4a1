import type { Json } from '../../core/arch.js';
import { Rng } from '../../core/rng.js';
import type { Trial } from '../../core/trial.js';
import { shownLocation } from '../../backend/storage/location.js';
import type { ExperimentConfig } from '../config.js';

/** What a worker needs to evaluate one trial: plain data only (it crosses process and thread boundaries). */
export interface TrialTask {
  readonly version: 1;
  readonly trialId: number;
  readonly number: number;
  readonly sample: Json;
  readonly config: ExperimentConfig;
  /** The trial's own seed: weights, data order, augmentation (from the experiment seed and its number). */
  readonly seed: number;
  /** The fidelity a strategy chose for this trial (epochs, scheduleEpochs, dataFraction); the worker applies it. */
  readonly fidelity?: Readonly<Record<string, number>>;
  /** The trial whose saved training state this one trains on from (successive halving's promotion). */
  readonly continues?: number;
}

/** The seed of trial `number`: independent of every other trial's, fixed by the experiment seed. */
export function trialSeed(experimentSeed: number, number: number): number {
  return new Rng(experimentSeed).derive(`trial-${number}`).int32();
}

/** The task payload of a trial. */
export function trialTask(config: ExperimentConfig, trial: Trial): TrialTask {
  const fidelity = trial.fidelity === undefined ? {} : { fidelity: trial.fidelity };
  const continues = trial.continues === undefined ? {} : { continues: trial.continues };
  return {
    version: 1,
    trialId: trial.id,
    number: trial.number,
    sample: trial.sample,
    config: { ...config, storage: shownLocation(config.storage) }, // a storage URL's password stays with the driver
    seed: trialSeed(config.seed, trial.number),
    ...fidelity,
    ...continues,
  };
}
