import type { Objective, ExperimentConfig } from '../../run/config.js';
import { rungsFromConfig, type Rungs } from './rungs.js';

/** The experiment as configured, shown at the top of the dashboard. */
export interface DashboardHeader {
  readonly experiment: string;
  readonly space: string;
  readonly strategy: string;
  readonly dataset: string;
  readonly seed: number;
  readonly budget: { readonly trials: number; readonly seconds?: number };
  readonly workers: number;
  /** The first is the primary one: it ranks the leaderboard and draws the best-so-far chart. */
  readonly objectives: readonly Objective[];
  /** Epochs of every trial, when training is budgeted in epochs (lanes show "epoch i/n"). */
  readonly epochs?: number;
  /** The rungs, when the strategy is wrapped in successive halving (lanes and rows show a trial's rung). */
  readonly rungs?: Rungs;
}

/** The objective ranked when a header names none. */
export const DEFAULT_OBJECTIVE: Objective = { metric: 'validationAccuracy', direction: 'max' };

/** The header of a resolved experiment config. */
export function headerFromConfig(config: ExperimentConfig): DashboardHeader {
  const epochs = config.train.steps === undefined ? (config.train.epochs ?? 1) : undefined;
  const rungs = rungsFromConfig(config);
  return {
    experiment: config.name,
    space: config.space.name,
    strategy: config.strategy.name,
    dataset: config.dataset.name,
    seed: config.seed,
    budget: config.budget,
    workers: config.workers,
    objectives: config.objectives,
    ...(epochs === undefined ? {} : { epochs }),
    ...(rungs === undefined ? {} : { rungs }),
  };
}

/** A header for a stream whose config is unknown; `experiment-started` fills in name, budget and workers. */
export function unknownHeader(): DashboardHeader {
  return {
    experiment: '',
    space: '?',
    strategy: '?',
    dataset: '?',
    seed: 0,
    budget: { trials: 0 },
    workers: 1,
    objectives: [DEFAULT_OBJECTIVE],
  };
}
