import type { Json } from '../core/arch.js';
import type { RunEvent } from '../core/events.js';
import { UserError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { Trial } from '../core/trial.js';
import { IsolatedPool } from '../backend/pool/isolated-pool.js';
import { openSqliteStorage, type Experiment, type Storage } from '../backend/storage/index.js';
import { planThreads } from '../backend/tf.js';
import { createStrategy, halvingOptions, paretoFront, withSuccessiveHalving } from '../search/index.js';
import { resolveOptions } from '../core/options.js';
import { findDataset, resolveDatasetOptions } from '../backend/data/index.js';
import { constrainSpace, constraintFrom } from '../space/constraint.js';
import type { SearchSpace } from '../space/search-space.js';
import { createSpace } from '../space/spaces/index.js';
import type { ExperimentConfig } from './config.js';
import { Driver } from './driver.js';
import type { Evaluator } from './evaluator.js';
import { trialTask } from './trial-task.js';

const TRIAL_WORKER = new URL('./trial-worker.ts', import.meta.url).href;

/** How a search is watched and stopped: an event sink and a stop signal (SIGINT in the CLI). */
export interface SearchHooks {
  readonly emit: (event: RunEvent) => void;
  /** Aborted once: stop gracefully; aborted twice (a second signal): cancel running trials. */
  readonly stop?: { readonly onStop: (listener: (why: string) => void) => void };
  /** For tests and benchmarks: evaluate in-process instead of on the isolated pool. */
  readonly evaluator?: Evaluator;
}

/** The pool that trains trials: Piscina worker threads in a watched child process. */
export function trialPool(config: ExperimentConfig): Evaluator {
  const pool = new IsolatedPool({ workerEntry: TRIAL_WORKER, workers: config.workers, threads: planThreads(config.workers) });
  return { concurrency: config.workers, run: (payload, options) => pool.run(payload, options), close: () => pool.close() };
}

/** Starts a new experiment in the config's SQLite file and runs it to its end or a stop. */
export async function startSearch(config: ExperimentConfig, hooks: SearchHooks): Promise<'finished' | 'stopped'> {
  const storage = await openSqliteStorage(config.storage);
  try {
    const experiment = await storage.createExperiment({ name: config.name, config: config as unknown as Json, seed: config.seed });
    return await runExperiment(storage, experiment, config, hooks, false);
  } finally {
    await storage.close();
  }
}

/** Continues a stopped or crashed experiment: interrupted trials run again once, the strategy resumes its state. */
export async function resumeSearch(storagePath: string, name: string, hooks: SearchHooks): Promise<'finished' | 'stopped'> {
  const storage = await openSqliteStorage(storagePath);
  try {
    const experiment = await storage.getExperiment(name);
    if (experiment === undefined) {
      const known = (await storage.listExperiments()).map((e) => e.name);
      throw new UserError('NO_EXPERIMENT', `no experiment "${name}" in ${storagePath}`, known.length > 0 ? `known: ${known.join(', ')}` : 'start one with `nas search`');
    }
    return await runExperiment(storage, experiment, experiment.config as unknown as ExperimentConfig, hooks, true);
  } finally {
    await storage.close();
  }
}

/** The experiment's space; with constraints, a view of it that proposes only samples within the limits. */
export function experimentSpace(config: ExperimentConfig): SearchSpace {
  const space = createSpace(config.space.name, config.space.options);
  const limits = config.constraints;
  if (limits === undefined || Object.keys(limits).length === 0) return space;
  const dataset = findDataset(config.dataset.name);
  const options = resolveDatasetOptions(config.dataset.name, config.dataset.options);
  const budget = {
    ...(limits.maxMacs === undefined ? {} : { maxMacs: limits.maxMacs }),
    ...(limits.maxParams === undefined ? {} : { maxParams: limits.maxParams }),
    ...(limits.maxTrainMemoryBytes === undefined ? {} : { maxTrainMemory: limits.maxTrainMemoryBytes }),
  };
  return constrainSpace(space, constraintFrom(budget), { inputShape: dataset.shape(options), classes: dataset.numClasses(options), batch: config.train.batchSize ?? 128 });
}

async function runExperiment(storage: Storage, experiment: Experiment, config: ExperimentConfig, hooks: SearchHooks, resumed: boolean): Promise<'finished' | 'stopped'> {
  const space = experimentSpace(config);
  const context = { space, rng: new Rng(config.seed).derive('strategy'), objectives: config.objectives };
  const inner = createStrategy(config.strategy.name, context, config.strategy.options);
  const halving = config.strategy.halving;
  const strategy = halving === undefined ? inner : withSuccessiveHalving(inner, context, resolveOptions(halvingOptions, halving, 'strategy.halving'));
  let told: ReadonlySet<number> = new Set();
  let requeue: { sample: Json; retryOf: number; fidelity?: Readonly<Record<string, number>> }[] = [];
  if (resumed) {
    await storage.markInterrupted(experiment.id);
    const snapshot = await storage.latestStrategyState(experiment.id);
    if (snapshot !== undefined) {
      const saved = snapshot.state as { strategy: Json; told: number[] };
      strategy.restore(saved.strategy);
      told = new Set(saved.told);
    }
    requeue = toRunAgain(await storage.listTrials(experiment.id));
  }
  await storage.setExperimentStatus(experiment.id, 'running');
  const evaluator = hooks.evaluator ?? trialPool(config);
  const history = await storage.listTrials(experiment.id);
  const driver = new Driver(
    {
      experimentId: experiment.id,
      storage,
      evaluator,
      space,
      strategy,
      budget: config.budget,
      ...(config.trialTimeoutSeconds === undefined ? {} : { trialTimeoutMs: config.trialTimeoutSeconds * 1000 }),
      taskFor: (trial) => trialTask(config, trial) as unknown as Json,
      emit: hooks.emit,
      requeue,
      told,
    },
    history,
  );
  hooks.stop?.onStop((why) => driver.stop(why));
  hooks.emit({ type: 'experiment-started', t: Date.now(), experiment: config.name, resumed, budget: config.budget, workers: evaluator.concurrency });
  let status: 'finished' | 'stopped' | 'failed' = 'failed';
  try {
    status = await driver.run();
  } finally {
    strategy.dispose?.();
    await evaluator.close();
    await storage.setExperimentStatus(experiment.id, status);
  }
  const trials = await storage.listTrials(experiment.id);
  const counts: Record<string, number> = {};
  for (const t of trials) counts[t.state] = (counts[t.state] ?? 0) + 1;
  if (config.objectives.length > 1) {
    const front = paretoFront(trials, config.objectives).map((t) => t.number);
    await storage.appendEvent(experiment.id, { type: 'pareto-front', payload: { objectives: config.objectives as unknown as Json, trials: front } });
  }
  hooks.emit({ type: 'experiment-finished', t: Date.now(), experiment: config.name, status, counts });
  return status;
}

/** Trials the driver cut short (interrupted, cancelled) that are not re-runs themselves and were not run again yet. */
function toRunAgain(trials: readonly Trial[]): { sample: Json; retryOf: number; fidelity?: Readonly<Record<string, number>> }[] {
  const cutShort = trials.filter((t) => t.state === 'FAILED' && (t.reason === 'interrupted' || t.reason === 'cancelled') && t.retryOf === undefined);
  const retried = new Set(trials.flatMap((t) => (t.retryOf === undefined ? [] : [t.retryOf])));
  return cutShort.filter((t) => !retried.has(t.number)).map((t) => ({ sample: t.sample, retryOf: t.number, ...(t.fidelity === undefined ? {} : { fidelity: t.fidelity }) }));
}
