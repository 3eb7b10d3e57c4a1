import type { dartsSpace } from '../../space/spaces/darts/index.js';
import type { layerwiseSpace } from '../../space/spaces/layerwise/index.js';
import type { macroSpace } from '../../space/spaces/macro/index.js';
import type { nb201Space } from '../../space/spaces/nb201/index.js';
import type { regularizedEvolution } from '../../search/evolution.js';
import type { localSearch } from '../../search/local-search.js';
import type { reinforce } from '../../search/reinforce/index.js';
import type { tpe } from '../../search/tpe.js';
import type { darts } from '../../search/darts/index.js';
import type { halvingOptions } from '../../search/halving.js';
import type { medianPruner } from '../../search/pruners/median.js';
import type { percentilePruner } from '../../search/pruners/percentile.js';
import type { patiencePruner } from '../../search/pruners/patience.js';
import type { TrainConfig } from '../../eval/train/index.js';
import type { KeepModels } from '../../run/config.js';
import type { OptionsInput } from './option-input.js';

// What a config file (nas.config.ts, experiments/*.ts) writes: `export default defineConfig({...})`.
// Checked at run time by schema.ts (structure) and the registries (options); resolved by resolve.ts
// into the engine's ExperimentConfig. docs/config.md describes every field.

/** The data sets a config may name (the registry in src/backend/data is the truth at run time). */
export type DatasetConfig = (
  | { readonly name: 'mnist'; readonly options?: Record<string, never> }
  | { readonly name: 'fashion-mnist'; readonly options?: Record<string, never> }
  | { readonly name: 'cifar10'; readonly options: { readonly dir: string; readonly recordsPerFile?: number } }
  | {
      readonly name: 'synthetic';
      readonly options?: {
        readonly seed?: string | number;
        readonly trainCount?: number;
        readonly testCount?: number;
        readonly height?: number;
        readonly width?: number;
        readonly channels?: number;
        readonly classes?: number;
        readonly noise?: number;
      };
    }
) & {
  /** Use only this many training images (taken after the seeded shuffle), before the validation split. */
  readonly subset?: number;
  /** Fraction of the training images held out for validation, in (0, 1); default 0.1. */
  readonly validationFraction?: number;
  /** Augmentation of training batches: random crop after `pad` pixels, horizontal flip, cutout square. */
  readonly augment?: { readonly pad?: number; readonly flip?: boolean; readonly cutout?: number };
};

/** A search space and its options, typed per space from its registry schema. */
export type SpaceConfig =
  | { readonly name: 'nb201'; readonly options?: OptionsInput<(typeof nb201Space)['options']> }
  | { readonly name: 'darts'; readonly options?: OptionsInput<(typeof dartsSpace)['options']> }
  | { readonly name: 'macro'; readonly options?: OptionsInput<(typeof macroSpace)['options']> }
  | { readonly name: 'layerwise'; readonly options?: OptionsInput<(typeof layerwiseSpace)['options']> };

/**
 * A multi-trial strategy and its options, typed per strategy from its registry schema
 * (`nas list strategies` shows each one's options and defaults).
 */
export type StrategyConfig = (
  | { readonly name: 'random'; readonly options?: Record<string, never> }
  | { readonly name: 'regularized-evolution'; readonly options?: OptionsInput<(typeof regularizedEvolution)['options']> }
  | { readonly name: 'local-search'; readonly options?: OptionsInput<(typeof localSearch)['options']> }
  | { readonly name: 'tpe'; readonly options?: OptionsInput<(typeof tpe)['options']> }
  | { readonly name: 'reinforce'; readonly options?: OptionsInput<(typeof reinforce)['options']> }
  | { readonly name: 'darts'; readonly options?: OptionsInput<(typeof darts)['options']> }
) & {
  /** Wrap the strategy in successive halving / Hyperband over epochs or data fraction (docs/strategies.md). */
  readonly halving?: OptionsInput<typeof halvingOptions>;
};

/** Metrics of a trained trial and cost figures of its architecture, by name. */
export type MetricName =
  | 'validationAccuracy'
  | 'validationLoss'
  | 'trainAccuracy'
  | 'trainLoss'
  | 'testAccuracy'
  | 'params'
  | 'macs'
  | 'trainMemoryBytes'
  | 'inferenceMemoryBytes'
  | 'estimatedLatencyMs'
  | 'measuredLatencyMs';

/** One objective: a metric maximised or minimised (a benchmark table's column is a metric too). */
export type ObjectiveConfig = { readonly metric: MetricName | (string & {}); readonly direction: 'max' | 'min' };

/** Training of every trial (docs/training.md): fidelity (epochs or steps, data fraction), batch, optimizer, schedule, diagnostics. */
export type TrainSettings = Omit<TrainConfig, 'seed'>;

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
  readonly constraints?: { readonly maxMacs?: number; readonly maxParams?: number; readonly maxTrainMemoryBytes?: number };
  /** When to stop: after this many trials (required), or this many seconds of wall time. */
  readonly budget: { readonly trials: number; readonly seconds?: number };
  /** Trials trained at once. Default: planned from the machine's cores (docs/config.md). */
  readonly workers?: number;
  /** A trial running longer fails with reason `timeout`. */
  readonly trialTimeoutSeconds?: number;
  /** Measure every trained candidate's inference latency at batch 1. Default true. */
  readonly measureLatency?: boolean;
  /**
   * Which trained models stay saved beside the storage file, for `nas export`: 'all' (the default),
   * 'none', or `{ best: k }`, the models of the k best complete trials by the primary objective.
   */
  readonly keepModels?: KeepModels;
  /** The older form of keepModels: false is keepModels 'none', true is 'all'. Not with keepModels. */
  readonly saveModels?: boolean;
  /** The SQLite file, relative to the config file's folder. Default `runs/nas.sqlite`. */
  readonly storage?: string;
  /** Answer trials from a benchmark table (CSV with an `arch` column) instead of training them. */
  readonly benchmark?: { readonly table: string; readonly metric: string };
}

/** A pruner and its options (docs/strategies.md, "Pruners"): stops trials whose epoch curve looks bad. */
export type PrunerConfig =
  | { readonly name: 'median'; readonly options?: OptionsInput<(typeof medianPruner)['options']> }
  | { readonly name: 'percentile'; readonly options?: OptionsInput<(typeof percentilePruner)['options']> }
  | { readonly name: 'patience'; readonly options?: OptionsInput<(typeof patiencePruner)['options']> };
