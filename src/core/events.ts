import type { Json } from './arch.js';
import type { EpochMetrics, StepReport, Trial } from './trial.js';
import type { DiagnosticEpoch } from './trial-diagnostics.js';

/**
 * What a running search reports, for the reporters (dashboard, plain lines, JSON lines) and the
 * event log in storage. Plain data; `t` is the wall-clock time in ms.
 */
export type RunEvent =
  | {
      readonly type: 'experiment-started';
      readonly t: number;
      readonly experiment: string;
      readonly resumed: boolean;
      readonly budget: { readonly trials: number; readonly seconds?: number };
      readonly workers: number;
    }
  | { readonly type: 'trial-started'; readonly t: number; readonly trial: Trial }
  | {
      readonly type: 'trial-progress';
      readonly t: number;
      readonly trialId: number;
      readonly number: number;
      readonly progress: TrialProgress;
      /** Set on the epoch after which the driver's pruner stopped the trial (its later progress is not emitted). */
      readonly pruned?: PrunedAt;
    }
  | { readonly type: 'trial-finished'; readonly t: number; readonly trial: Trial }
  | { readonly type: 'strategy-done'; readonly t: number; readonly why: string }
  | { readonly type: 'stopping'; readonly t: number; readonly why: string }
  | {
      readonly type: 'experiment-finished';
      readonly t: number;
      readonly experiment: string;
      readonly status: 'finished' | 'stopped';
      readonly counts: Readonly<Record<string, number>>;
    }
  | { readonly type: 'oneshot-started'; readonly t: number; readonly start: OneShotStart }
  | {
      readonly type: 'oneshot-progress';
      readonly t: number;
      readonly epoch: number;
      readonly fraction: number;
      readonly loss: number;
    }
  | { readonly type: 'oneshot-epoch'; readonly t: number; readonly epoch: OneShotEpoch }
  | {
      readonly type: 'owner-takeover';
      readonly t: number;
      readonly experiment: string;
      readonly takeover: OwnerTakeover;
    };

/** Progress of a running trial: an epoch finished, how far the current epoch is, a note, an epoch's diagnostics. */
export type TrialProgress =
  /** An epoch's metrics; `of`: the run's epoch count (absent from an older worker). */
  | { readonly kind: 'epoch'; readonly metrics: EpochMetrics; readonly of?: number }
  | { readonly kind: 'batch'; readonly epoch: number; readonly fraction: number; readonly loss: number }
  | { readonly kind: 'note'; readonly text: string; readonly data?: Json }
  /** An epoch's training diagnostics, as it ends (or as a stop cuts it short); `every` is the run's check interval. */
  | { readonly kind: 'diagnostics'; readonly every: number; readonly record: DiagnosticEpoch }
  /** A report every `pruner.reportEvery` steps, for the pruner (docs/strategies.md, *Pruners*). */
  | { readonly kind: 'report'; readonly report: StepReport };

/**
 * Where a trial was pruned: the epoch (step; with step reports, the epoch it was in and the training
 * step of the report, `trainingStep`), its value of the followed metric, why, and the rung for the rung pruners.
 */
export type PrunedAt = {
  readonly step: number;
  readonly trainingStep?: number;
  readonly metric: string;
  readonly value: number;
  readonly why: string;
  readonly rung?: number;
};

/** Weights of a relaxation per cell: one row per edge (the relaxation's edge order), one entry per op of the edge. */
export type CellWeights = Readonly<Record<string, readonly (readonly number[])[]>>;

/**
 * The one-shot phase of a search (DARTS) as it starts: the relaxed cells (edge ids and the ops on
 * each, the row and column order of every {@link CellWeights}), and its length. Stored as the
 * `oneshot-started` event.
 */
export type OneShotStart = {
  readonly strategy: string;
  readonly order: 'first' | 'second';
  readonly epochs: number;
  /** 1 on a fresh start; k + 1 when resumed after epoch k. */
  readonly startEpoch: number;
  readonly cells: readonly {
    readonly name: string;
    readonly edges: readonly {
      readonly id: string;
      readonly from: number;
      readonly to: number;
      readonly ops: readonly string[];
    }[];
  }[];
  /** The cost model's training-memory estimate of the supernet, bytes. */
  readonly estimatedMemoryBytes: number;
};

/** One finished epoch of supernet training. Stored as the `oneshot-epoch` event. */
export type OneShotEpoch = {
  readonly epoch: number;
  readonly epochs: number;
  /** Mean loss and accuracy on the weight-training batches of the epoch (training mode). */
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  /** Mean loss on the architecture batches (what α descends; training mode). */
  readonly alphaLoss: number;
  /** On the experiment's validation split, inference mode. */
  readonly validationLoss: number;
  readonly validationAccuracy: number;
  readonly learningRate: number;
  readonly seconds: number;
  /** softmax(α) per cell. */
  readonly weights: CellWeights;
  /** The architecture derived from α after this epoch (a sample of the space) and its text form. */
  readonly derived: Json;
  readonly derivedText: string;
  /** Peak resident memory of the worker process so far, bytes. */
  readonly peakMemoryBytes: number;
};

/**
 * A driver took an experiment over from a stale owner (docs/storage.md, "Owner lease"). Stored as
 * the `owner-takeover` event. Times in ms since 1970.
 */
export type OwnerTakeover = {
  /** The owner taken over: its host and pid, when it started driving, its last heartbeat. */
  readonly previous: {
    readonly host: string;
    readonly pid: number;
    readonly startedAt: number;
    readonly heartbeatAt: number;
  };
  /** `owner-dead`: its process on this host is gone; `heartbeat-timeout`: no heartbeat for `timeoutMs`. */
  readonly why: 'owner-dead' | 'heartbeat-timeout';
  /** How old the previous owner's heartbeat was when it was taken over. */
  readonly heartbeatAgeMs: number;
  readonly timeoutMs: number;
  /** The new owner. */
  readonly owner: { readonly host: string; readonly pid: number };
};
