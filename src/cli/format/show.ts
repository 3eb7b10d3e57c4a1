import type { Json } from '../../core/arch.js';
import type { Trial } from '../../core/trial.js';
import type { ExperimentSummary } from '../../backend/storage/index.js';
import type { ExperimentConfig, Objective } from '../../run/config.js';
import { storedConfig } from '../../run/stored-config.js';
import type { LostAttempt } from '../../run/queue/lost-attempts.js';
import type { ExportRecord } from '../commands/export/export-event.js';
import { sampleFormatter } from './arch.js';
import { experimentJson, trialJson, type ExperimentJson, type TrialJson } from './experiment-json.js';
import { paretoTrials, sortTrials, type SortKey } from './ranking.js';

/** One recorded `nas export`: its stored payload, with the time it was recorded as ISO 8601. */
export type ExportJson = Omit<ExportRecord, 'at'> & { readonly at: string };

/** `nas show --json`: the experiment, its resolved config, its trials in the asked order, the Pareto front, the failures, the exports. */
export interface ShowJson {
  readonly storage: string;
  readonly experiment: ExperimentJson;
  readonly config: ExperimentConfig;
  readonly sort: SortKey & { readonly reverse: boolean };
  readonly trials: readonly TrialJson[];
  /** With two objectives or more: the non-dominated COMPLETE trials, by number; otherwise null. */
  readonly pareto: { readonly objectives: readonly Objective[]; readonly trials: readonly number[] } | null;
  readonly failures: readonly { readonly number: number; readonly reason: string; readonly message: string | null }[];
  /** What `nas export` recorded, newest first. */
  readonly exports: readonly ExportJson[];
}

/** Everything `nas show` prints, from an experiment, its trials, its recorded exports (newest first) and its lost attempts. */
export function showJson(
  storage: string,
  summary: ExperimentSummary,
  trials: readonly Trial[],
  sort: SortKey,
  reverse: boolean,
  exports: readonly ExportRecord[] = [],
  lost: readonly LostAttempt[] = [],
): ShowJson {
  const config = storedConfig(summary);
  const format = sampleFormatter(config);
  const front = paretoTrials(trials, config.objectives);
  return {
    storage,
    experiment: experimentJson(summary, trials),
    config,
    sort: { ...sort, reverse },
    trials: sortTrials(trials, sort, reverse).map((t) => trialJson(t, format as (s: Json) => string, lost)),
    pareto: front === undefined ? null : { objectives: config.objectives, trials: front.map((t) => t.number) },
    failures: trials
      .filter((t) => t.state === 'FAILED')
      .map((t) => ({ number: t.number, reason: t.reason ?? 'error', message: t.message ?? null })),
    exports: exports.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
  };
}
