// keepModels { best: k } (docs/config.md): only the k best complete trials by the primary objective
// keep their saved models. The workers save every trained model; the driver, on the main thread,
// deletes the folders of finished trials that are not among the k best, after each trial is
// recorded and once when it starts. Deleting is idempotent, so a crash between a record and its
// deletion leaves only a folder too many, which the resume deletes.
import { rm } from 'node:fs/promises';
import { UserError } from '../core/errors.js';
import type { Trial } from '../core/trial.js';
import type { ExperimentConfig } from './config.js';
import { primaryObjective, rankTrials } from './experiment-data.js';
import { keepModelsOf, trialModelDir } from './model-store.js';

/** The numbers of the trials whose models keepModels keeps, when it keeps the best k; undefined for 'all' and 'none'. */
export function keptModels(trials: readonly Trial[], config: ExperimentConfig): ReadonlySet<number> | undefined {
  const keep = keepModelsOf(config);
  if (typeof keep === 'string') return undefined;
  return new Set(rankTrials(trials, primaryObjective(config)).slice(0, keep.best).map((t) => t.number));
}

/** Deletes the saved models keepModels does not keep (a no-op unless it is { best: k }). */
export class ModelRetention {
  /** Trials whose folder is gone: a trial out of the best k never comes back (the ranking only gains trials). */
  private readonly pruned = new Set<number>();

  constructor(private readonly config: ExperimentConfig) {}

  /** Deletes the model folders of the finished trials among `trials` that are not among the best k. */
  async prune(trials: readonly Trial[]): Promise<void> {
    const kept = keptModels(trials, this.config);
    if (kept === undefined) return;
    for (const t of trials) {
      if (t.state === 'RUNNING' || kept.has(t.number) || this.pruned.has(t.number)) continue;
      // NOTE: a folder that cannot be deleted only stays on disk; the next resume tries again.
      await rm(trialModelDir(this.config.storage, this.config.name, t.number), { recursive: true, force: true }).catch(() => undefined);
      this.pruned.add(t.number);
    }
  }
}

/** Why trial `number` has no saved model, for `nas export`: not kept under keepModels, or not saved. */
export function noModelError(config: ExperimentConfig, trials: readonly Trial[], number: number, manifest: string): UserError {
  const keep = keepModelsOf(config);
  if (keep === 'none') {
    return new UserError('NO_MODEL', `trial ${number} has no saved model: experiment "${config.name}" ran with keepModels: 'none' (no model is saved)`, "re-run the search with keepModels 'all' or { best: k } to export its models");
  }
  const kept = keptModels(trials, config);
  if (typeof keep === 'object' && kept !== undefined && !kept.has(number)) {
    return new UserError(
      'NO_MODEL',
      `trial ${number}'s model was not kept: experiment "${config.name}" keeps only the models of its ${keep.best} best complete trials by ${primaryObjective(config).metric} (keepModels: { best: ${keep.best} })`,
      `export one of the kept trials: ${[...kept].join(', ')} (--best exports the best); to keep every model, run the search with keepModels: 'all'`,
    );
  }
  return new UserError('NO_MODEL', `trial ${number} has no saved model (looked for ${manifest})`, "models are saved by searches run with keepModels 'all' (the default) or { best: k }; re-run the search, or export another trial");
}
