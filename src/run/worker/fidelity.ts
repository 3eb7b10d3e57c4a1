import type { TrainData } from '../../eval/train/index.js';
import type { ExperimentConfig } from '../config.js';

/** A trial's fidelity (from `Proposal.fidelity`): `epochs` replaces the training epochs, `dataFraction` keeps that share of the training images. */
export type Fidelity = Readonly<Record<string, number>>;

/** The experiment config a trial trains with at `fidelity` (epochs overridden). */
export function configAt(config: ExperimentConfig, fidelity: Fidelity | undefined): ExperimentConfig {
  const epochs = fidelity?.epochs;
  if (epochs === undefined) return config;
  if (!Number.isInteger(epochs) || epochs < 1)
    throw new RangeError(`fidelity.epochs must be a positive integer, got ${epochs}`);
  return { ...config, train: { ...config.train, epochs } };
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
