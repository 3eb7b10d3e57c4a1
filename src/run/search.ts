import type { Json } from '../core/arch.js';
import { UserError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { CUT_SHORT, type Trial } from '../core/trial.js';
import { openStorage, shownLocation, type Experiment, type Storage } from '../backend/storage/index.js';
import { isDiskRefusal, searchStoppedBy } from '../backend/storage/disk-refusal.js';
import {
  FixedSamples,
  createStrategy,
  findOneShot,
  halvingOptions,
  paretoFront,
  withSuccessiveHalving,
  type Strategy,
} from '../search/index.js';
import type { SearchSpace } from '../space/search-space.js';
import { runOneShotPhase } from './oneshot.js';
import { resolveOptions } from '../core/options.js';
import type { ExperimentConfig } from './config.js';
import { configJson, configToStore } from './stored-config.js';
import { configAt } from './experiment-data.js';
import { Driver } from './driver.js';
import type { DriverSnapshot, Proposal } from './driver-options.js';
import { runAsOwner } from './owner-lease.js';
import type { SearchHooks } from './search-hooks.js';
import { ModelRetention } from './model-retention.js';
import { experimentSpace } from './experiment-space.js';
import { trialPool } from './trial-pool.js';
import { trialTask } from './worker/trial-task.js';
import { openTrialPruner } from './trial-pruner.js';
import type { QueueDispatcher } from './queue/dispatcher.js';
import { openDispatcher, withQueue } from './queue/open-dispatcher.js';
import { attachOrInterrupt } from './queue/left-running.js';
import { checkEnqueueFits } from './enqueue.js';
import { openWarmStart, type WarmStart } from './warm-start.js';
import { withTensorBoard } from './tensorboard-runs.js';

/** Starts a new experiment in the config's storage (SQLite file or PostgreSQL URL) and runs it to its end or a stop. */
export async function startSearch(given: ExperimentConfig, hooks: SearchHooks): Promise<'finished' | 'stopped'> {
  const config = configToStore(given);
  checkEnqueueFits(config);
  const storage = await openStorage(config.storage);
  try {
    await openWarmStart(storage, config); // a warmStart that names a missing or different experiment is refused before anything is written
    const experiment = await storage.createExperiment({
      name: config.name,
      config: configJson({ ...config, storage: shownLocation(config.storage) }), // no password in the database
      seed: config.seed,
    });
    return await runAsOwner(storage, experiment, hooks, (owned, ownedHooks) =>
      runExperiment(owned, experiment, config, ownedHooks, false),
    );
  } finally {
    await storage.close();
  }
}

/** Continues a stopped or crashed experiment: interrupted trials run again once, the strategy resumes its state. */
export async function resumeSearch(
  storagePath: string,
  name: string,
  hooks: SearchHooks,
  /** A queue URL that replaces the stored config's `dispatch.queue` for this run (`nas resume --queue`). */
  queue?: string,
): Promise<'finished' | 'stopped'> {
  const storage = await openStorage(storagePath);
  try {
    const experiment = await storage.getExperiment(name);
    if (experiment === undefined) {
      const known = (await storage.listExperiments()).map((e) => e.name);
      throw new UserError(
        'NO_EXPERIMENT',
        `no experiment "${name}" in ${shownLocation(storagePath)}`,
        known.length > 0 ? `known: ${known.join(', ')}` : 'start one with `nas search`',
      );
    }
    const stored = configAt(experiment, storagePath);
    const config = queue === undefined ? stored : withQueue(stored, queue);
    return await runAsOwner(storage, experiment, hooks, (owned, ownedHooks) =>
      runExperiment(owned, experiment, config, ownedHooks, true),
    );
  } finally {
    await storage.close();
  }
}

/** What the driver runs: a strategy (restored on resume), the budget, and trials to re-run first. */
interface TrialPlan {
  readonly strategy: Strategy;
  readonly budget: ExperimentConfig['budget'];
  readonly told: ReadonlySet<number>;
  readonly requeue: readonly Requeued[];
  /** The config's enqueued samples, and how many of them the driver took before (a resume). */
  readonly enqueue?: readonly Json[];
  readonly enqueued?: number;
  /** The config's warmStart, read from storage: the earlier trials and the answers they give. */
  readonly warmStart?: WarmStart;
  /** The restored strategy's last proposal, if its trial was never recorded. */
  readonly unrecorded?: Proposal;
}

type Requeued = { sample: Json; retryOf: number; fidelity?: Readonly<Record<string, number>>; continues?: number };

/** Runs the experiment; a write the disk refused stops it resumably, with an error that says so and how to go on. */
async function runExperiment(
  storage: Storage,
  experiment: Experiment,
  config: ExperimentConfig,
  hooks: SearchHooks,
  resumed: boolean,
): Promise<'finished' | 'stopped'> {
  try {
    return await runToEnd(storage, experiment, config, hooks, resumed);
  } catch (error) {
    throw isDiskRefusal(error) ? searchStoppedBy(error, config.name) : error;
  }
}

async function runToEnd(
  storage: Storage,
  experiment: Experiment,
  config: ExperimentConfig,
  hooks: SearchHooks,
  resumed: boolean,
): Promise<'finished' | 'stopped'> {
  const space = experimentSpace(config);
  const queue = hooks.evaluator === undefined ? await openDispatcher(config, experiment) : undefined;
  const attached = resumed ? await attachOrInterrupt(storage, experiment.id, queue) : [];
  await storage.setExperimentStatus(experiment.id, 'running');
  hooks.emit({
    type: 'experiment-started',
    t: Date.now(),
    experiment: config.name,
    resumed,
    budget: config.budget,
    workers: (hooks.evaluator ?? queue)?.concurrency ?? config.workers,
  });
  let status: 'finished' | 'stopped' | 'failed' = 'failed';
  try {
    const plan =
      findOneShot(config.strategy.name) === undefined
        ? await multiTrialPlan(storage, experiment.id, config, space, resumed)
        : await oneShotPlan(storage, experiment.id, config, space, hooks);
    status =
      plan === 'stopped'
        ? 'stopped'
        : await runTrials(storage, experiment.id, config, space, hooks, { ...plan, attached }, queue);
  } catch (error) {
    if (isDiskRefusal(error)) status = 'stopped'; // the disk may refuse this write too: the experiment then stays 'running', as after a crash
    throw error;
  } finally {
    await queue?.close();
    await storage.setExperimentStatus(experiment.id, status);
  }
  const trials = await storage.listTrials(experiment.id);
  const counts: Record<string, number> = {};
  for (const t of trials) counts[t.state] = (counts[t.state] ?? 0) + 1;
  if (config.objectives.length > 1) {
    const front = paretoFront(trials, config.objectives).map((t) => t.number);
    await storage.appendEvent(experiment.id, {
      type: 'pareto-front',
      payload: { objectives: config.objectives, trials: front },
    });
  }
  hooks.emit({ type: 'experiment-finished', t: Date.now(), experiment: config.name, status, counts });
  return status;
}

/** The config's ask/tell strategy (wrapped in halving if asked), restored from its snapshot on resume. */
async function multiTrialPlan(
  storage: Storage,
  experimentId: number,
  config: ExperimentConfig,
  space: SearchSpace,
  resumed: boolean,
): Promise<TrialPlan> {
  const context = { space, rng: new Rng(config.seed).derive('strategy'), objectives: config.objectives };
  const inner = createStrategy(config.strategy.name, context, config.strategy.options);
  const halving = config.strategy.halving;
  const strategy =
    halving === undefined
      ? inner
      : withSuccessiveHalving(inner, context, resolveOptions(halvingOptions, halving, 'strategy.halving'));
  const enqueue = config.enqueue ?? [];
  const warm = await openWarmStart(storage, config);
  const warmStart = warm === undefined ? {} : { warmStart: warm };
  if (!resumed) return { strategy, budget: config.budget, told: new Set(), requeue: [], enqueue, ...warmStart };
  const trials = await storage.listTrials(experimentId);
  const saved = (await storage.latestStrategyState(experimentId))?.state as DriverSnapshot | undefined; // as the driver saves it
  if (saved !== undefined) strategy.restore(saved.strategy);
  const unrecorded = unrecordedProposal(saved?.unrecorded, trials);
  return {
    strategy,
    budget: config.budget,
    told: new Set(saved?.told),
    requeue: toRunAgain(trials),
    enqueue,
    enqueued: saved?.enqueued ?? 0,
    ...warmStart,
    ...(unrecorded === undefined ? {} : { unrecorded }),
  };
}

/** Trains the supernet (or finds it trained), then plans one trial per derived architecture. */
async function oneShotPlan(
  storage: Storage,
  experimentId: number,
  config: ExperimentConfig,
  space: SearchSpace,
  hooks: SearchHooks,
): Promise<TrialPlan | 'stopped'> {
  const phase = await runOneShotPhase(storage, experimentId, config, space, hooks);
  if (phase.status === 'stopped') return 'stopped';
  const strategy = new FixedSamples(space, phase.candidates, 'every derived architecture was trained');
  const budget = { ...config.budget, trials: Math.min(config.budget.trials, phase.candidates.length) };
  return { strategy, budget, told: new Set(), requeue: toRunAgain(await storage.listTrials(experimentId)) };
}

/** The multi-trial loop on the trial pool (or the hooks' evaluator, or the queue of `dispatch`). */
async function runTrials(
  storage: Storage,
  experimentId: number,
  config: ExperimentConfig,
  space: SearchSpace,
  hooks: SearchHooks,
  plan: TrialPlan & { readonly attached: readonly Trial[] },
  queue: QueueDispatcher | undefined,
): Promise<'finished' | 'stopped'> {
  const evaluator = hooks.evaluator ?? queue ?? trialPool(config);
  const history = await storage.listTrials(experimentId);
  const tensorBoard = withTensorBoard(config, hooks.emit);
  const driver = new Driver(
    {
      experimentId,
      storage,
      evaluator,
      space,
      strategy: plan.strategy,
      budget: plan.budget,
      ...(config.trialTimeoutSeconds === undefined ? {} : { trialTimeoutMs: config.trialTimeoutSeconds * 1000 }),
      taskFor: (trial) => trialTask(config, trial),
      emit: tensorBoard.emit,
      requeue: plan.requeue,
      ...(plan.enqueue === undefined ? {} : { enqueue: plan.enqueue }),
      ...(plan.enqueued === undefined ? {} : { enqueued: plan.enqueued }),
      ...(plan.warmStart === undefined ? {} : { earlierTrials: plan.warmStart.history }),
      ...(plan.warmStart?.reuse === undefined ? {} : { reuse: plan.warmStart.reuse }),
      told: plan.told,
      ...(plan.unrecorded === undefined ? {} : { unrecorded: plan.unrecorded }),
      attached: plan.attached,
      models: new ModelRetention(config),
      ...(config.pruner === undefined
        ? {}
        : {
            pruner: await openTrialPruner(
              config.pruner,
              config.objectives[0] as ExperimentConfig['objectives'][number],
              config.train.epochs ?? 1,
              storage,
              history,
              experimentId,
            ),
          }),
    },
    history,
  );
  hooks.stop?.onStop((why) => driver.stop(why));
  try {
    return await driver.run();
  } finally {
    tensorBoard.close();
    plan.strategy.dispose?.();
    await evaluator.close();
  }
}

/** The snapshot's last proposal if no trial has its number: the driver died after the snapshot, before the record. */
function unrecordedProposal(saved: DriverSnapshot['unrecorded'], trials: readonly Trial[]): Proposal | undefined {
  if (saved === undefined || trials.some((t) => t.number === saved.number)) return undefined;
  const { number: _number, ...proposal } = saved;
  return proposal;
}

/**
 * Trials the driver cut short (interrupted, cancelled, refused by the disk) that were not run again
 * yet. A re-run cut short in turn is run again too: else its architecture would never be evaluated,
 * and a one-shot search, whose candidates are fixed, would end short of its budget.
 */
function toRunAgain(trials: readonly Trial[]): Requeued[] {
  const cutShort = trials.filter((t) => t.state === 'FAILED' && t.reason !== undefined && CUT_SHORT.has(t.reason));
  const retried = new Set(trials.flatMap((t) => (t.retryOf === undefined ? [] : [t.retryOf])));
  return cutShort
    .filter((t) => !retried.has(t.number))
    .map((t) => ({
      sample: t.sample,
      retryOf: t.number,
      ...(t.fidelity === undefined ? {} : { fidelity: t.fidelity }),
      ...(t.continues === undefined ? {} : { continues: t.continues }),
    }));
}
