import { checkOptions } from '../../core/options.js';
import { halvingOptions } from '../../search/index.js';
import { findPruner } from '../../search/pruners/index.js';
import path from 'node:path';
import { isPostgresUrl } from '../../backend/storage/index.js';
import type { Json } from '../../core/arch.js';
import type { AugmentConfig, ExperimentConfig, KeepModels } from '../../run/config.js';
// Zod's output types mark absent optional keys `| undefined`; the parsed values never hold such keys, hence the casts below.
import type { ValidConfig } from './validate.js';
import { plannedWorkers } from './workers.js';

/** Command-line flags that override a config file's values (`nas search --name --seed --workers`). */
export interface Overrides {
  readonly name?: string;
  readonly seed?: number;
  readonly workers?: number;
}

/** Where experiments are stored when a config names no file: relative to the config file's folder. */
export const DEFAULT_STORAGE = 'runs/nas.sqlite';

/** Where experiments' files go when the storage is a PostgreSQL URL and the config names no `artifacts`. */
export const DEFAULT_ARTIFACTS = 'runs';

/**
 * The engine's ExperimentConfig from a validated config: every default filled (seed 0, validation
 * fraction 0.1, objective max validationAccuracy, latency measured, every model kept, workers
 * planned from the cores), registry options resolved, paths absolute from `configDir`; deeply frozen.
 */
export function resolveConfig({ config: c, options }: ValidConfig, configDir: string): ExperimentConfig {
  const resolved: ExperimentConfig = {
    name: c.name,
    seed: c.seed ?? 0,
    dataset: {
      name: c.dataset.name,
      options: options.dataset as Record<string, Json>,
      validationFraction: c.dataset.validationFraction ?? 0.1,
      ...(c.dataset.subset === undefined ? {} : { subset: c.dataset.subset }),
      ...(c.dataset.augment === undefined ? {} : { augment: c.dataset.augment as AugmentConfig }),
    },
    space: { name: c.space.name, options: options.space as Record<string, Json> },
    strategy: { name: c.strategy.name, options: options.strategy as Record<string, Json>, ...halvingOf(c.strategy) },
    train: (c.train ?? {}) as ExperimentConfig['train'],
    objectives: c.objectives ?? [{ metric: 'validationAccuracy', direction: 'max' }],
    ...(c.pruner === undefined
      ? {}
      : {
          pruner: {
            name: c.pruner.name,
            options: checkOptions(findPruner(c.pruner.name).options, c.pruner.options ?? {}).values as Record<
              string,
              Json
            >,
            ...(c.pruner.reportEvery === undefined ? {} : { reportEvery: c.pruner.reportEvery }),
          },
        }),
    ...(c.constraints === undefined ? {} : { constraints: c.constraints as ExperimentConfig['constraints'] & object }),
    budget: c.budget as ExperimentConfig['budget'],
    workers: c.workers ?? plannedWorkers(),
    ...(c.trialTimeoutSeconds === undefined ? {} : { trialTimeoutSeconds: c.trialTimeoutSeconds }),
    ...(c.dispatch === undefined ? {} : { dispatch: c.dispatch as ExperimentConfig['dispatch'] & object }),
    measureLatency: c.measureLatency ?? c.benchmark === undefined,
    ...(c.tensorboard === true ? { tensorboard: true } : {}),
    keepModels: (c.keepModels ?? (c.saveModels === false ? 'none' : 'all')) as KeepModels,
    ...storagePlace(c.storage ?? DEFAULT_STORAGE, c.artifacts, configDir),
    ...(c.benchmark === undefined
      ? {}
      : { benchmark: { table: path.resolve(configDir, c.benchmark.table), metric: c.benchmark.metric } }),
    ...(c.enqueue === undefined ? {} : { enqueue: c.enqueue as Json[] }),
    ...(c.warmStart === undefined ? {} : { warmStart: c.warmStart }),
  };
  return deepFreeze(structuredClone(resolved));
}

/** Applies command-line overrides to a config file's raw default export (before validation, so they are checked too). */
export function withOverrides(raw: unknown, overrides: Overrides): unknown {
  if (typeof raw !== 'object' || raw === null) return raw;
  const set = Object.entries(overrides).filter(([, v]) => v !== undefined);
  return set.length === 0 ? raw : { ...raw, ...Object.fromEntries(set) };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The successive-halving options of a strategy section, defaults filled (checked before). */
function halvingOf(strategy: { readonly halving?: Readonly<Record<string, unknown>> | undefined }): {
  halving?: Record<string, Json>;
} {
  return strategy.halving === undefined
    ? {}
    : { halving: checkOptions(halvingOptions, strategy.halving).values as Record<string, Json> };
}

/**
 * The storage (a SQLite path made absolute, a PostgreSQL URL as it is) and the artifacts folder:
 * the config's, else `runs` beside the config for a URL, else none (beside the SQLite file).
 */
function storagePlace(
  storage: string,
  artifacts: string | undefined,
  configDir: string,
): Pick<ExperimentConfig, 'storage' | 'artifacts'> {
  const url = isPostgresUrl(storage);
  const folder = artifacts ?? (url ? DEFAULT_ARTIFACTS : undefined);
  return {
    storage: url ? storage : path.resolve(configDir, storage),
    ...(folder === undefined ? {} : { artifacts: path.resolve(configDir, folder) }),
  };
}
