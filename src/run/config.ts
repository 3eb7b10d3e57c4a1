import type { Json } from '../core/arch.js';
import type { TrainConfig } from '../eval/train/index.js';
import type { Objective } from '../search/objective.js';

export type { Objective } from '../search/objective.js';

/** Which saved models a search keeps: every one, none, or those of the k best complete trials. */
export type KeepModels = 'all' | 'none' | { readonly best: number };

/** Augmentation of colour training batches: crop with padding, horizontal flip, cutout. */
export type AugmentConfig = { readonly pad?: number; readonly flip?: boolean; readonly cutout?: number };

/** Cost-model limits a sample must meet before it is trained (rejected samples are never run). */
export type Constraints = {
  readonly maxMacs?: number;
  readonly maxParams?: number;
  readonly maxTrainMemoryBytes?: number;
};

/** When a search stops: after `trials` trials, or `seconds` of wall time. */
export type Budget = { readonly trials: number; readonly seconds?: number };

/** A benchmark table that answers trials instead of training: the CSV `index,arch,<metrics…>` and the column searched. */
export type BenchmarkConfig = { readonly table: string; readonly metric: string };

/** Trials go on a BullMQ queue at this Redis URL for `nas worker` processes (docs/distributed.md); `inflight` trials at once (default: workers). */
export type DispatchConfig = { readonly queue: string; readonly inflight?: number };

/** Training of every trial: a TrainConfig whose `seed` is set per trial (derived from the experiment seed and the trial number). */
export type TrainSettings = Omit<TrainConfig, 'seed'>;

/**
 * A resolved experiment: every default filled, paths absolute. The only config type below the
 * CLI (which loads and validates the user's TypeScript file into this); stored as JSON with the
 * experiment so a resume needs nothing else.
 */
export interface ExperimentConfig {
  readonly name: string;
  readonly seed: number;
  readonly dataset: {
    readonly name: string;
    readonly options: Readonly<Record<string, Json>>;
    /** Fraction of the training part held out for validation (the search's objective). */
    readonly validationFraction: number;
    /** Use only this many training images (after the seeded split). */
    readonly subset?: number;
    readonly augment?: AugmentConfig;
  };
  readonly space: { readonly name: string; readonly options: Readonly<Record<string, Json>> };
  /** The strategy; `halving` wraps it in successive halving / Hyperband over a fidelity (src/search/halving.ts). */
  readonly strategy: {
    readonly name: string;
    readonly options: Readonly<Record<string, Json>>;
    readonly halving?: Readonly<Record<string, Json>>;
  };
  /** Training of every trial. */
  readonly train: TrainSettings;
  /**
   * What the search optimises, the first objective being the primary one (single-objective
   * strategies use it alone): a metric of the trial (validationAccuracy, validationLoss, trainLoss,
   * testAccuracy) or a cost figure (params, macs, trainMemoryBytes, estimatedLatencyMs,
   * measuredLatencyMs), each maximised or minimised.
   */
  readonly objectives: readonly Objective[];
  readonly constraints?: Constraints;
  readonly budget: Budget;
  readonly workers: number;
  readonly trialTimeoutSeconds?: number;
  /** Trials run on `nas worker` processes through a queue instead of the local pool. */
  readonly dispatch?: DispatchConfig;
  /** Measure inference latency (batch 1) of every trained candidate. */
  readonly measureLatency: boolean;
  /** Write TensorBoard event files, one run per trial (src/run/tensorboard-runs.ts, docs/tensorboard.md). Absent: off. */
  readonly tensorboard?: boolean;
  /**
   * Which trained models stay saved beside the storage file (`<dir>/<experiment>/trial-<n>/`) for
   * `nas export`: all, none, or those of the `best` complete trials by the primary objective
   * (src/run/model-retention.ts). Absent in experiments stored before it: `saveModels` then says.
   */
  readonly keepModels?: KeepModels;
  /** The older form of keepModels, in experiments stored before it: false is keepModels 'none'. */
  readonly saveModels?: boolean;
  /** The SQLite file (absolute), or a PostgreSQL URL (docs/storage.md). */
  readonly storage: string;
  /**
   * The folder (absolute) of the experiments' folders of saved models, checkpoints and TensorBoard
   * runs (src/run/model-store.ts). Absent: beside the SQLite file. Machines that share a search share it.
   */
  readonly artifacts?: string;
  /**
   * Stops a trial early when its epoch curve of the primary objective (an epoch metric) looks worse
   * than the others' (src/search/pruners, docs/strategies.md "Pruners"); such a trial is PRUNED.
   * With `reportEvery`, the curve is of reports every that many training steps instead of epochs.
   */
  readonly pruner?: {
    readonly name: string;
    readonly options: Readonly<Record<string, Json>>;
    readonly reportEvery?: number;
  };
  /** Answer trials from a benchmark table (its path absolute) instead of training. */
  readonly benchmark?: BenchmarkConfig;
  /** Samples evaluated first, in order, before the strategy asks (src/run/enqueue.ts; `nas search --enqueue FILE`). */
  readonly enqueue?: readonly Json[];
  /** Earlier experiments of the same storage and space whose trials seed the strategy's history (src/run/warm-start.ts). */
  readonly warmStart?: WarmStartConfig;
}

/** `seed-history`: earlier complete trials join the history the strategy reads; `reuse-results`: also answer a matching trial from them. */
export type WarmStartConfig = { readonly from: readonly string[]; readonly mode: 'seed-history' | 'reuse-results' };
