import type { Json } from './arch.js';
import type { TrialDiagnostics } from './trial-diagnostics.js';

/** Life of a trial: RUNNING from dispatch until its result is stored. PRUNED: stopped early by the pruner (docs/strategies.md, *Pruners*). */
export type TrialState = 'RUNNING' | 'COMPLETE' | 'FAILED' | 'PRUNED';

/**
 * Why a trial failed. `diverged`: NaN or infinite loss; `invalid`: the architecture cannot be built;
 * `out-of-memory`; `timeout`: over the per-trial time limit; `cancelled`: the search stopped;
 * `crashed`: the trial killed its process (native abort, OOM killer); `interrupted`: the driver died
 * while it ran (found RUNNING on resume); `disk-full`, `read-only`: its model could not be saved
 * because the disk is full or refuses writes (the search stops); `worker-lost`: the `nas worker`
 * running it died, and the queue gave up on it (docs/distributed.md); `error`: anything else thrown.
 */
export type FailureReason =
  | 'diverged'
  | 'invalid'
  | 'out-of-memory'
  | 'timeout'
  | 'cancelled'
  | 'crashed'
  | 'interrupted'
  | 'disk-full'
  | 'read-only'
  | 'diagnostics'
  | 'worker-lost'
  | 'error';

/**
 * Failures that cut a trial short without judging its architecture (a stop, a dead driver, a disk
 * that refused a write): they do not count against the budget, and a resume runs them again once.
 */
export const CUT_SHORT: ReadonlySet<FailureReason> = new Set<FailureReason>([
  'interrupted',
  'cancelled',
  'disk-full',
  'read-only',
]);

/** Metrics of one training epoch. Losses may be NaN (a diverged epoch). */
export interface EpochMetrics {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly validationLoss: number;
  readonly validationAccuracy: number;
  readonly learningRate: number;
  readonly seconds: number;
}

/**
 * An intermediate report within the epochs (`pruner.reportEvery`): after training step `step` (from
 * 1, counted over the whole run) of epoch `epoch`, the validation part's loss and accuracy, and the
 * training loss and accuracy of the epoch's steps so far; `of` is how many reports the run makes.
 */
export type StepReport = {
  readonly step: number;
  readonly epoch: number;
  readonly of: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly validationLoss: number;
  readonly validationAccuracy: number;
};

/** Cost figures of a trial's architecture: from the cost model, plus measured latency. */
export type TrialCost = {
  readonly params: number;
  readonly paramsTotal: number;
  readonly macs: number;
  readonly trainMemoryBytes: number;
  readonly inferenceMemoryBytes: number;
  readonly estimatedLatencyMs: number;
  readonly measuredLatencyMs?: number;
  /** The same measurement on the compiled graph's `predict` (trials trained by the compiled engine). */
  readonly compiledLatencyMs?: number;
};

/**
 * Which engine trained a trial: the compiled graph, or eager tfjs ops; `fallback` says why a trial
 * that asked for the compiled engine trained eagerly (an op the compiler does not take, diagnostics).
 */
export interface TrialEngine {
  readonly name: 'compiled' | 'eager';
  readonly fallback?: string;
  /** Set when the config asked for `precision: 'bf16'`: what ran, and why float32 when not bf16. */
  readonly precision?: { readonly used: 'bf16' | 'fp32'; readonly reason?: string };
}

/** What a finished trial reports: its final metrics (by name), cost, per-epoch curve, diagnostics. */
export interface TrialOutcome {
  readonly metrics: Readonly<Record<string, number>>;
  readonly cost: TrialCost;
  readonly epochs: readonly EpochMetrics[];
  /** Training diagnostics (docs/training.md): the interval and flags; the checks and histograms are stored per epoch as they are reported. */
  readonly diagnostics?: TrialDiagnostics;
  readonly engine?: TrialEngine;
  readonly seconds: number;
}

/** One trial as the driver, the storage and the strategies see it (plain data). */
export interface Trial {
  readonly id: number;
  /** 0-based, in order of proposal within the experiment. */
  readonly number: number;
  readonly sample: Json;
  readonly key: string;
  readonly state: TrialState;
  readonly reason?: FailureReason;
  readonly message?: string;
  readonly outcome?: TrialOutcome;
  /** A trial finished without an outcome (failed, pruned) that measured diagnostics: their interval and flags. */
  readonly diagnostics?: TrialDiagnostics;
  /** Fidelity the trial ran at (epochs, data fraction), when a strategy varies it. */
  readonly fidelity?: Readonly<Record<string, number>>;
  /** Which pool worker ran it (a label such as a thread id), when the driver knows. */
  readonly worker?: string;
  /** The number of the trial this one re-runs (a trial found RUNNING on resume is re-run once). */
  readonly retryOf?: number;
  /**
   * The number of the trial this one continues: a promotion of successive halving with continuation
   * trains on from that trial's state at the rung below (its epochs are this trial's first ones).
   */
  readonly continues?: number;
  readonly startedAt: number;
  readonly finishedAt?: number;
}
