// Which saved models stay on disk (docs/config.md, keepModels). The workers save every trained model;
// the driver, on the main thread, deletes the folders of finished trials whose model is not kept,
// after each trial is recorded and once when it starts: a trial that did not complete (interrupted,
// pruned, failed after its model was saved) keeps none, and under { best: k } only the k best
// COMPLETE trials by the primary objective keep theirs. Deleting is idempotent, so a driver killed
// between a record and its deletion (or while a worker saved a model) leaves folders too many, which
// the resume's first pass deletes.
import { rm } from 'node:fs/promises';
import { UserError } from '../core/errors.js';
import type { Trial } from '../core/trial.js';
import type { ExperimentConfig } from './config.js';
import { primaryObjective, rankTrials } from './experiment-data.js';
import { keepModelsOf, trialModelDir } from './model-store.js';
import { StateRetention } from './state-retention.js';

/** The numbers of the trials whose saved models keepModels keeps: the COMPLETE ones, or their best k. */
export function keptModels(trials: readonly Trial[], config: ExperimentConfig): ReadonlySet<number> {
  const keep = keepModelsOf(config);
  const complete = trials.filter((t) => t.state === 'COMPLETE');
  if (keep === 'none') return new Set();
  return new Set(
    (keep === 'all' ? complete : rankTrials(complete, primaryObjective(config)).slice(0, keep.best)).map(
      (t) => t.number,
    ),
  );
}

/**
 * Deletes the saved models keepModels does not keep (nothing to delete under 'none': nothing is
 * saved), and the training states no promotion can continue (state-retention.ts).
 */
export class ModelRetention {
  /** Trials whose folder is gone: a finished trial not kept never comes back (the ranking only gains trials). */
  private readonly deleted = new Set<number>();
  private readonly states: StateRetention;

  constructor(private readonly config: ExperimentConfig) {
    this.states = new StateRetention(config);
  }

  /** Deletes the model folders of the finished trials among `trials` whose model is not kept, and their spent states. */
  async prune(trials: readonly Trial[]): Promise<void> {
    await this.states.prune(trials);
    if (keepModelsOf(this.config) === 'none') return;
    const kept = keptModels(trials, this.config);
    for (const t of trials) {
      if (t.state === 'RUNNING' || kept.has(t.number) || this.deleted.has(t.number)) continue;
      // NOTE: a folder that cannot be deleted only stays on disk; the next resume tries again.
      await rm(trialModelDir(this.config, t.number), { recursive: true, force: true }).catch(() => undefined);
      this.deleted.add(t.number);
    }
  }
}

/** Why trial `number` has no saved model, for `nas export`: not kept under keepModels, or not saved. */
export function noModelError(
  config: ExperimentConfig,
  trials: readonly Trial[],
  number: number,
  manifest: string,
): UserError {
  const keep = keepModelsOf(config);
  if (keep === 'none') {
    return new UserError(
      'NO_MODEL',
      `trial ${number} has no saved model: experiment "${config.name}" ran with keepModels: 'none' (no model is saved)`,
      "re-run the search with keepModels 'all' or { best: k } to export its models",
    );
  }
  const kept = keptModels(trials, config);
  if (typeof keep === 'object' && !kept.has(number)) {
    return new UserError(
      'NO_MODEL',
      `trial ${number}'s model was not kept: experiment "${config.name}" keeps only the models of its ${keep.best} best complete trials by ${primaryObjective(config).metric} (keepModels: { best: ${keep.best} })`,
      `export one of the kept trials: ${[...kept].join(', ')} (--best exports the best); to keep every model, run the search with keepModels: 'all'`,
    );
  }
  return new UserError(
    'NO_MODEL',
    `trial ${number} has no saved model (looked for ${manifest})`,
    "models are saved by searches run with keepModels 'all' (the default) or { best: k }; re-run the search, or export another trial",
  );
}
