import type { TrainData } from '../../eval/train/index.js';
import type { ExperimentConfig } from '../config.js';

/**
 * A trial's fidelity (from `Proposal.fidelity`): `epochs` replaces the training epochs, `dataFraction`
 * keeps that share of the training images. With `scheduleEpochs` (successive halving with
 * continuation), the run's schedule spans that many epochs and the trial stops after `epochs` of them.
 */
export type Fidelity = Readonly<Record<string, number>>;

/** The experiment config a trial trains with at `fidelity` (epochs overridden: the schedule's, when given). */
export function configAt(config: ExperimentConfig, fidelity: Fidelity | undefined): ExperimentConfig {
  const epochs = fidelity?.epochs;
  if (epochs === undefined) return config;
  const scheduleEpochs = fidelity?.scheduleEpochs ?? epochs;
  if (!Number.isInteger(epochs) || epochs < 1)
    throw new RangeError(`fidelity.epochs must be a positive integer, got ${epochs}`);
  if (!Number.isInteger(scheduleEpochs) || scheduleEpochs < epochs)
    throw new RangeError(`fidelity.scheduleEpochs must be an integer ≥ epochs (${epochs}), got ${scheduleEpochs}`);
  return { ...config, train: { ...config.train, epochs: scheduleEpochs } };
}

/** The epoch a trial at `fidelity` stops after, when it stops before its schedule ends. */
export function stopEpoch(fidelity: Fidelity | undefined): number | undefined {
  const { epochs, scheduleEpochs } = fidelity ?? {};
  return epochs !== undefined && scheduleEpochs !== undefined && epochs < scheduleEpochs ? epochs : undefined;
}

/** The training data at `fidelity`: the first ⌈fraction · n⌉ images of the (already seeded) training order. */
export function dataAt(data: TrainData, fidelity: Fidelity | undefined): TrainData {
  const fraction = fidelity?.dataFraction;
  if (fraction === undefined) return data;
  if (!(fraction > 0 && fraction <= 1))
    throw new RangeError(`fidelity.dataFraction must be in (0, 1], got ${fraction}`);
  const n = Math.max(1, Math.ceil(fraction * data.train.indices.length));
  return { ...data, train: { ...data.train, indices: data.train.indices.subarray(0, n) } };
}
