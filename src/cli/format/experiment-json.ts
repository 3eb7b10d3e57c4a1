import type { Json } from '../../core/arch.js';
import type { DiagnosticFlag } from '../../core/diagnostics.js';
import { trialDiagnostics, type TrialDiagnostics } from '../../core/trial-diagnostics.js';
import type { Trial, TrialEngine, TrialState } from '../../core/trial.js';
import type { ExperimentSummary } from '../../backend/storage/index.js';
import type { Objective } from '../../run/config.js';
import { storedConfig } from '../../run/stored-config.js';
import { countsAgainstBudget } from '../../run/driver.js';
import { prunedAtOf } from '../../run/trial-pruner.js';
import type { LostAttempt } from '../../run/queue/lost-attempts.js';
import { valueOf } from './metrics.js';
import { bestTrial } from './ranking.js';

// The `--json` shapes of `nas ls` and `nas show`: a contract for scripts (docs/cli.md). Extend them;
// never rename or remove a field. Times are ISO 8601 strings; non-finite numbers are null.

/** The best trial under the primary objective. */
export interface BestJson {
  readonly trial: number;
  readonly metric: string;
  readonly direction: 'max' | 'min';
  readonly value: number;
}

/** One experiment as `nas ls --json` lists it (and `nas show --json` starts with). */
export interface ExperimentJson {
  readonly name: string;
  readonly status: 'running' | 'stopped' | 'finished' | 'failed';
  readonly seed: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly space: string;
  readonly strategy: string;
  readonly dataset: string;
  readonly objectives: readonly Objective[];
  readonly budget: { readonly trials: number; readonly seconds?: number };
  /** Trials per state. */
  readonly trials: Readonly<Record<TrialState, number>>;
  /** Trials that count against the budget (finished ones, except those cut short by a stop or crash) out of the budget. */
  readonly progress: { readonly done: number; readonly total: number };
  readonly best: BestJson | null;
}

/** One trial as `nas show --json` lists it. */
export interface TrialJson {
  readonly number: number;
  readonly state: TrialState;
  readonly reason: string | null;
  readonly message: string | null;
  /** The sample in the space's readable form (NAS-Bench-201 string, JSON elsewhere). */
  readonly arch: string;
  readonly sample: Json;
  readonly key: string;
  readonly metrics: Readonly<Record<string, number>>;
  readonly cost: Readonly<Record<string, number>> | null;
  /** Which engine trained it (null: no outcome, or a file older than the engine record). */
  readonly engine: TrialEngine | null;
  readonly seconds: number | null;
  readonly retryOf: number | null;
  /** The fidelity a strategy ran it at (`epochs`, `scheduleEpochs`, `dataFraction`), or null. */
  readonly fidelity: Readonly<Record<string, number>> | null;
  /** The trial whose training state it continued from (successive halving with continuation), or null. */
  readonly continues: number | null;
  /** A PRUNED trial: the epoch it was stopped at, its value of the followed metric there, and the rung (successive halving, Hyperband; else null); otherwise null. */
  readonly pruned: {
    readonly epoch: number;
    /** With step reports (`pruner.reportEvery`): the training step of the report it was stopped at; else null. */
    readonly step: number | null;
    readonly metric: string;
    readonly value: number;
    readonly rung: number | null;
  } | null;
  /** With train.diagnostics: the check interval and every flag raised (docs/training.md); otherwise null. */
  readonly diagnostics: { readonly every: number; readonly flags: readonly DiagnosticFlag[] } | null;
  /** Attempts whose `nas worker` was lost mid-trial (the trial ran again): the worker (host:pid, null when unknown) and when (docs/distributed.md). */
  readonly lostAttempts: readonly { readonly worker: string | null; readonly at: string }[];
  readonly startedAt: string;
  readonly finishedAt: string | null;
}

/** The `nas ls` entry of an experiment, from its summary and trials. */
export function experimentJson(summary: ExperimentSummary, trials: readonly Trial[]): ExperimentJson {
  const config = storedConfig(summary);
  const best = bestTrial(trials, config.objectives);
  const primary = config.objectives[0];
  return {
    name: summary.name,
    status: summary.status,
    seed: summary.seed,
    createdAt: new Date(summary.createdAt).toISOString(),
    updatedAt: new Date(summary.updatedAt).toISOString(),
    space: config.space.name,
    strategy: config.strategy.name,
    dataset: config.dataset.name,
    objectives: config.objectives,
    budget: config.budget,
    trials: summary.trials,
    progress: { done: trials.filter(countsAgainstBudget).length, total: config.budget.trials },
    best:
      best === undefined || primary === undefined
        ? null
        : {
            trial: best.number,
            metric: primary.metric,
            direction: primary.direction,
            value: valueOf(best, primary.metric) as number,
          },
  };
}

/** A trial's `nas show --json` entry; `format` gives the readable architecture. */
export function trialJson(
  trial: Trial,
  format: (sample: Json) => string,
  lost: readonly LostAttempt[] = [],
): TrialJson {
  const outcome = trial.outcome;
  return {
    number: trial.number,
    state: trial.state,
    reason: trial.reason ?? null,
    message: trial.message ?? null,
    arch: format(trial.sample),
    sample: trial.sample,
    key: trial.key,
    metrics: outcome?.metrics ?? {},
    cost: outcome === undefined ? null : (outcome.cost as Readonly<Record<string, number>>),
    engine: outcome?.engine ?? null,
    seconds: outcome?.seconds ?? (trial.finishedAt === undefined ? null : (trial.finishedAt - trial.startedAt) / 1000),
    retryOf: trial.retryOf ?? null,
    fidelity: trial.fidelity ?? null,
    continues: trial.continues ?? null,
    pruned: prunedJson(trial),
    diagnostics: diagnosticsJson(trialDiagnostics(trial)),
    lostAttempts: lost
      .filter((a) => a.trialId === trial.id)
      .map((a) => ({ worker: a.worker, at: new Date(a.at).toISOString() })),
    startedAt: new Date(trial.startedAt).toISOString(),
    finishedAt: trial.finishedAt === undefined ? null : new Date(trial.finishedAt).toISOString(),
  };
}

function diagnosticsJson(d: TrialDiagnostics | undefined): TrialJson['diagnostics'] {
  return d === undefined ? null : { every: d.every, flags: d.flags };
}

function prunedJson(trial: Trial): TrialJson['pruned'] {
  const at = prunedAtOf(trial);
  return at === undefined
    ? null
    : { epoch: at.step, step: at.trainingStep ?? null, metric: at.metric, value: at.value, rung: at.rung ?? null };
}
