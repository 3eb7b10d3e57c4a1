// Reading one finished (or running) experiment back from a storage (a SQLite file or a PostgreSQL URL), for export and reports.
import { UserError } from '../core/errors.js';
import type { EpochMetrics, Trial } from '../core/trial.js';
import { openStorage, shownLocation, type Experiment, type Storage } from '../backend/storage/index.js';
import { metricOf } from '../search/objective.js';
import type { ExperimentConfig, Objective } from './config.js';
import { storedConfig } from './stored-config.js';

/** An experiment as read from storage: its record, resolved config and trials (by number). */
export interface ExperimentData {
  readonly experiment: Experiment;
  readonly config: ExperimentConfig;
  readonly trials: readonly Trial[];
}

/** Opens the storage at `location` read-only for `body` (a search may be writing it meanwhile), then closes it. */
export async function readStorage<T>(location: string, body: (storage: Storage) => Promise<T>): Promise<T> {
  const storage = await openStorage(location, { readonly: true });
  try {
    return await body(storage);
  } finally {
    await storage.close();
  }
}

/** Opens the storage at `location` read-write for `body` (a short write beside a running search: SQLite's busy timeout waits for its lock), then closes it. */
export async function writeStorage<T>(location: string, body: (storage: Storage) => Promise<T>): Promise<T> {
  const storage = await openStorage(location);
  try {
    return await body(storage);
  } finally {
    await storage.close();
  }
}

/** Experiment `name` with its trials; an unknown name is a {@link UserError} listing the known ones. */
export async function loadExperiment(storage: Storage, location: string, name: string): Promise<ExperimentData> {
  const experiment = await storage.getExperiment(name);
  if (experiment === undefined) {
    const known = (await storage.listExperiments()).map((e) => e.name);
    throw new UserError(
      'NO_EXPERIMENT',
      `no experiment "${name}" in ${shownLocation(location)}`,
      known.length > 0
        ? `experiments there: ${known.join(', ')} (\`nas ls\`); another file: --storage FILE`
        : 'it has no experiments; start one with `nas search` (or pass --storage FILE)',
    );
  }
  const trials = [...(await storage.listTrials(experiment.id))].sort((a, b) => a.number - b.number);
  return { experiment, config: configAt(experiment, location), trials };
}

/**
 * The experiment's stored config, its storage where it was opened now: a SQLite file moved with its
 * folder finds its saved models beside it, and a URL keeps the password the stored config leaves out.
 */
export function configAt(experiment: Pick<Experiment, 'name' | 'config'>, location: string): ExperimentConfig {
  return { ...storedConfig(experiment), storage: location };
}

/** The per-epoch curve of a trial: its outcome's, else what storage recorded live. */
export async function epochsOf(storage: Storage, trial: Trial): Promise<readonly EpochMetrics[]> {
  const stored = trial.outcome?.epochs ?? [];
  return stored.length > 0 ? stored : storage.listEpochs(trial.id);
}

/** The primary objective (first of the config's), validation accuracy maximised when none is given. */
export function primaryObjective(config: ExperimentConfig): Objective {
  return config.objectives[0] ?? { metric: 'validationAccuracy', direction: 'max' };
}

/** COMPLETE trials with a value of the primary objective, best first (ties: the earlier trial). */
export function rankTrials(trials: readonly Trial[], objective: Objective): Trial[] {
  const sign = objective.direction === 'max' ? -1 : 1;
  return trials
    .filter((t) => metricOf(t, objective.metric) !== undefined)
    .sort(
      (a, b) =>
        sign * ((metricOf(a, objective.metric) as number) - (metricOf(b, objective.metric) as number)) ||
        a.number - b.number,
    );
}
