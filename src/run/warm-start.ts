import { canonicalKey } from '../core/arch.js';
import { UserError } from '../core/errors.js';
import type { Trial, TrialOutcome } from '../core/trial.js';
import type { Storage } from '../backend/storage/index.js';
import { findOneShot } from '../search/index.js';
import type { ExperimentConfig } from './config.js';
import { storedConfig } from './stored-config.js';

/** A trial answered from an earlier experiment: its outcome, and the message that says where it came from. */
export type Reused = { readonly outcome: TrialOutcome; readonly message: string };

/** What `warmStart` gives a search: earlier trials for the strategy's history, and (reuse-results) answers from storage. */
export interface WarmStart {
  /** The COMPLETE trials of the `from` experiments, in their order: read by every ask, never trials of this experiment. */
  readonly history: readonly Trial[];
  /** A trial's stored answer, if an earlier one of the same key and recipe finished (mode 'reuse-results'). */
  readonly reuse?: (trial: Trial) => Reused | undefined;
}

/**
 * Reads the config's `warmStart` experiments from `storage`: each must exist and have searched the
 * same space (name and options), else a {@link UserError} names it and the difference. Undefined
 * without `warmStart`.
 */
export async function openWarmStart(storage: Storage, config: ExperimentConfig): Promise<WarmStart | undefined> {
  const warm = config.warmStart;
  if (warm === undefined) return undefined;
  const refused =
    findOneShot(config.strategy.name) !== undefined
      ? `the one-shot strategy "${config.strategy.name}" (it evaluates the cells its supernet derives)`
      : config.strategy.halving !== undefined
        ? 'strategy.halving (its rungs promote its own trials)'
        : undefined;
  if (refused !== undefined)
    throw new UserError('WARM_START', `warmStart: not with ${refused}`, 'use a multi-trial strategy without halving');
  const history: Trial[] = [];
  const answers = new Map<string, Reused>();
  for (const [i, name] of warm.from.entries()) {
    const experiment = await storage.getExperiment(name);
    if (experiment === undefined) {
      const known = (await storage.listExperiments()).map((e) => e.name);
      throw new UserError(
        'WARM_START',
        `warmStart.from[${i}]: no experiment "${name}" in this storage`,
        known.length > 0 ? `experiments there: ${known.join(', ')}` : 'the storage has no experiments yet',
      );
    }
    const source = storedConfig(experiment);
    if (canonicalKey(source.space) !== canonicalKey(config.space))
      throw new UserError(
        'WARM_START',
        `warmStart.from[${i}]: experiment "${name}" searched space ${shownSpace(source.space)}, this experiment searches ${shownSpace(config.space)}`,
        'warm start only from experiments of the same space with the same options',
      );
    const trials = await storage.listTrials(experiment.id, { state: 'COMPLETE' });
    history.push(...trials);
    if (warm.mode !== 'reuse-results' || recipeKey(source) !== recipeKey(config)) continue;
    for (const t of trials) {
      const at = answerKey(t.key, t.fidelity);
      if (t.outcome !== undefined && !answers.has(at))
        answers.set(at, { outcome: t.outcome, message: `reused from ${name} #${t.number}` });
    }
  }
  return {
    history,
    ...(warm.mode === 'reuse-results'
      ? { reuse: (trial: Trial) => answers.get(answerKey(trial.key, trial.fidelity)) }
      : {}),
  };
}

/**
 * What makes two experiments train an architecture the same way: the data set (split, subset,
 * augmentation), the training settings, the seed (the split, the normalisation and every trial's
 * seed derive from it), a benchmark table, and whether latency is measured.
 */
function recipeKey(config: ExperimentConfig): string {
  const { dataset, train, seed, benchmark, measureLatency } = config;
  return canonicalKey({ dataset, train, seed, benchmark, measureLatency });
}

function answerKey(key: string, fidelity: Trial['fidelity']): string {
  return `${key} ${canonicalKey(fidelity ?? null)}`;
}

function shownSpace(space: ExperimentConfig['space']): string {
  return Object.keys(space.options).length === 0 ? `"${space.name}"` : `"${space.name}" ${canonicalKey(space.options)}`;
}
