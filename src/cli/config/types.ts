import type { Json } from '../../core/arch.js';
import type { RegisteredDataset } from '../../backend/data/registry.js';
import type { RegisteredSpace } from '../../space/spaces/index.js';
import type { RegisteredStrategy } from '../../search/registry.js';
import type { RegisteredPruner } from '../../search/pruners/registry.js';
import type { halvingOptions } from '../../search/halving.js';
import type {
  AugmentConfig,
  BenchmarkConfig,
  Budget,
  DispatchConfig,
  Constraints,
  KeepModels,
  Objective,
  TrainSettings,
  WarmStartConfig,
} from '../../run/config.js';
import type { MetricName } from './metric-names.js';
import type { EntryInput, OptionsInput } from './option-input.js';

// What a config file (nas.config.ts, experiments/*.ts) writes: `export default defineConfig({...})`.
// Checked at run time by schema.ts (structure) and the registries (options); resolved by resolve.ts
// into the engine's ExperimentConfig. The registry sections are typed from the registries' lists
// themselves; test/cli/config-schema-types.test.ts holds the rest equal to schema.ts.
// docs/config.md describes every field.

export type { MetricName } from './metric-names.js';
export type { TrainSettings } from '../../run/config.js';

/** A data set and its options, typed per data set from its registry schema (src/backend/data/registry.ts). */
export type DatasetConfig = EntryInput<RegisteredDataset> & {
  /** Use only this many training images (taken after the seeded shuffle), before the validation split. */
  readonly subset?: number;
  /** Fraction of the training images held out for validation, in (0, 1); default 0.1. */
  readonly validationFraction?: number;
  /** Augmentation of training batches: random crop after `pad` pixels, horizontal flip, cutout square. */
  readonly augment?: AugmentConfig;
};

/** A search space and its options, typed per space from its registry schema (src/space/spaces/index.ts). */
export type SpaceConfig = EntryInput<RegisteredSpace>;

/**
 * A strategy and its options, typed per strategy from its registry schema (src/search/registry.ts;
 * `nas list strategies` shows each one's options and defaults).
 */
export type StrategyConfig = EntryInput<RegisteredStrategy> & {
  /** Wrap the strategy in successive halving / Hyperband over epochs or data fraction (docs/strategies.md). */
  readonly halving?: OptionsInput<typeof halvingOptions>;
};

/**
 * A pruner and its options (docs/strategies.md, "Pruners"): stops trials whose epoch curve looks bad;
 * `reportEvery` (steps) judges a report of the validation figures every that many steps instead.
 */
export type PrunerConfig = EntryInput<RegisteredPruner> & { readonly reportEvery?: number };

/** One objective: a metric maximised or minimised (a benchmark table's column is a metric too). */
export type ObjectiveConfig = Omit<Objective, 'metric'> & { readonly metric: MetricName | (string & {}) };

/** An experiment as a config file writes it; `defineConfig` checks it against this type. */
export interface UserConfig {
  /** The experiment's name in the storage file: 1–100 letters, digits, ".", "_" or "-" (`nas resume <name>`). */
  readonly name: string;
  /** Seeds everything: the strategy, the data split, each trial's weights and batch order. Default 0. */
  readonly seed?: number;
  readonly dataset: DatasetConfig;
  readonly space: SpaceConfig;
  readonly strategy: StrategyConfig;
  /** Stop trials early on their epoch curve of the primary objective; they are recorded PRUNED. */
  readonly pruner?: PrunerConfig;
  /** Default: 1 epoch, batch 128, SGD with Nesterov momentum, cosine schedule. */
  readonly train?: TrainSettings;
  /** What the search optimises, the first one primary. Default: maximise validationAccuracy. */
  readonly objectives?: readonly ObjectiveConfig[];
  /** Cost-model limits: a sample over one is never trained. */
  readonly constraints?: Constraints;
  /** When to stop: after this many trials (required), or this many seconds of wall time. */
  readonly budget: Budget;
  /** Trials trained at once. Default: planned from the machine's cores (docs/config.md). */
  readonly workers?: number;
  /** A trial running longer fails with reason `timeout`. */
  readonly trialTimeoutSeconds?: number;
  /**
   * Run trials on `nas worker` processes fed by a BullMQ queue on Redis instead of the local pool
   * (docs/distributed.md): `queue` is its URL, `inflight` how many trials are queued or running at
   * once (default: `workers`).
   */
  readonly dispatch?: DispatchConfig;
  /** Measure every trained candidate's inference latency at batch 1. Default true. */
  readonly measureLatency?: boolean;
  /**
   * Write TensorBoard event files, one run per trial (`<experiment folder>/tensorboard/trial-<n>/`):
   * losses, accuracies and learning rate per epoch, with `train.diagnostics` also gradient norms and
   * histograms (docs/tensorboard.md). Default false.
   */
  readonly tensorboard?: boolean;
  /**
   * Which trained models stay saved beside the storage file, for `nas export`: 'all' (the default),
   * 'none', or `{ best: k }`, the models of the k best complete trials by the primary objective.
   */
  readonly keepModels?: KeepModels;
  /** The older form of keepModels: false is keepModels 'none', true is 'all'. Not with keepModels. */
  readonly saveModels?: boolean;
  /**
   * The SQLite file, relative to the config file's folder, or a PostgreSQL database's URL
   * (`postgres://user:password@host:port/database`, docs/storage.md). Default `runs/nas.sqlite`.
   */
  readonly storage?: string;
  /**
   * The folder of the experiments' folders (saved models, one-shot checkpoints, TensorBoard runs),
   * relative to the config file's folder. Default: beside the SQLite file; `runs` with a PostgreSQL
   * URL. Every machine of a search shared through PostgreSQL must see it at the same path.
   */
  readonly artifacts?: string;
  /** Answer trials from a benchmark table (CSV with an `arch` column) instead of training them. */
  readonly benchmark?: BenchmarkConfig;
  /**
   * Samples of the space evaluated first, in order, before the strategy asks; they count against
   * the budget and the strategy learns from them like any trial (`nas search --enqueue FILE` sets it).
   */
  readonly enqueue?: readonly Json[];
  /**
   * Start from earlier experiments of the same storage and space (docs/strategies.md, *Warm start*):
   * `seed-history` puts their complete trials in the history the strategy reads; `reuse-results`
   * also answers a trial from them when its key and training recipe match, instead of training it.
   */
  readonly warmStart?: WarmStartConfig;
}
