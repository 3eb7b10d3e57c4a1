import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.js';
import type { Trial } from '../../../src/core/trial.js';
import { StorageError, StorageMisuseError, type Experiment, type Storage } from '../../../src/backend/storage/index.js';
import { describeLeaseContract } from './contract-leases.js';
import { describeLogContract } from './contract-logs.js';
import { describeTrialContract } from './contract-trials.js';
import { epoch, outcome, sample, tickingClock } from './values.js';

/** Opens a fresh, empty storage whose timestamps come from `now`. */
export type OpenStorage = (now: () => number) => Promise<Storage>;

/** What each contract case gets: a fresh storage with one experiment, and its clock's start. */
export interface ContractContext {
  storage: Storage;
  experiment: Experiment;
}

/** Resolves to the error `promise` rejects with, after checking its class and code. */
export async function rejection(
  promise: Promise<unknown>,
  type: typeof StorageMisuseError | typeof StorageError,
  code: string,
): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  expect((error as { code: string }).code).toBe(code);
  return error as Error;
}

/**
 * The behaviour every {@link Storage} shares (Optuna's `testing/pytest_storages.py`): run it against
 * each implementation; they must agree to the timestamp, since the clock is injected.
 */
export function describeStorageContract(name: string, open: OpenStorage): void {
  describe(`Storage contract: ${name}`, () => {
    const ctx = {} as ContractContext;

    beforeEach(async () => {
      ctx.storage = await open(tickingClock());
      ctx.experiment = await ctx.storage.createExperiment({
        name: 'cifar-evolution',
        config: { space: 'nb201', budget: { trials: 10 } },
        seed: 42,
      });
    });
    afterEach(async () => {
      await ctx.storage.close();
    });

    describe('experiments', () => experimentCases(ctx));
    describe('trials', () => describeTrialContract(ctx));
    describe('snapshots, events, lifecycle', () => describeLogContract(ctx));
    describe('owner leases', () => describeLeaseContract(ctx));
  });
}

function experimentCases(ctx: ContractContext): void {
  it('creates an experiment running, and finds it by name', async () => {
    expect(ctx.experiment).toStrictEqual({
      id: 1,
      name: 'cifar-evolution',
      config: { space: 'nb201', budget: { trials: 10 } },
      seed: 42,
      status: 'running',
      createdAt: 1_000_000,
      updatedAt: 1_000_000,
    });
    expect(await ctx.storage.getExperiment('cifar-evolution')).toStrictEqual(ctx.experiment);
    expect(await ctx.storage.getExperiment('nope')).toBeUndefined();
  });

  it('refuses a second experiment of the same name with a user error that says how to resume', async () => {
    const error = await rejection(
      ctx.storage.createExperiment({ name: 'cifar-evolution', config: {}, seed: 1 }),
      StorageError,
      'EXPERIMENT_EXISTS',
    );
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain('"cifar-evolution" already exists');
    expect((error as UserError).hint).toContain('nas resume cifar-evolution');
    expect((error as UserError).hint).toContain('--name');
  });

  it('refuses names that cannot be typed on a command line, and seeds that are not integers', async () => {
    for (const bad of ['', ' x', 'a b', '-x', 'x/y', 'x*', '..', 'x'.repeat(101)]) {
      await rejection(
        ctx.storage.createExperiment({ name: bad, config: {}, seed: 1 }),
        StorageError,
        'EXPERIMENT_NAME',
      );
    }
    expect((await ctx.storage.createExperiment({ name: '探索-1', config: {}, seed: 1 })).name).toBe('探索-1');
    await rejection(
      ctx.storage.createExperiment({ name: 'ok', config: {}, seed: 1.5 }),
      StorageMisuseError,
      'INVALID_INPUT',
    );
  });

  it('sets the status and stamps updatedAt; an unknown experiment is an error', async () => {
    const stopped = await ctx.storage.setExperimentStatus(ctx.experiment.id, 'stopped');
    expect(stopped).toStrictEqual({ ...ctx.experiment, status: 'stopped', updatedAt: 1_000_001 });
    expect(await ctx.storage.getExperiment('cifar-evolution')).toStrictEqual(stopped);
    await rejection(ctx.storage.setExperimentStatus(999, 'finished'), StorageMisuseError, 'UNKNOWN_EXPERIMENT');
  });

  it('lists experiments oldest first with their trial counts per state', async () => {
    const other = await ctx.storage.createExperiment({ name: 'mnist.random_2', config: null, seed: 0 });
    const trials: Trial[] = [];
    for (let i = 0; i < 4; i++)
      trials.push(await ctx.storage.createTrial(ctx.experiment.id, { number: i, sample: sample(i), key: `k${i}` }));
    await ctx.storage.finishTrial(trials[0]!.id, { state: 'COMPLETE', outcome: outcome() });
    await ctx.storage.finishTrial(trials[1]!.id, { state: 'FAILED', reason: 'diverged' });
    await ctx.storage.finishTrial(trials[2]!.id, { state: 'COMPLETE', outcome: outcome(1) });
    await ctx.storage.addEpoch(trials[3]!.id, epoch(0));

    const list = await ctx.storage.listExperiments();
    expect(list.map((e) => e.name)).toEqual(['cifar-evolution', 'mnist.random_2']);
    expect(list[0]).toStrictEqual({ ...ctx.experiment, trials: { RUNNING: 1, COMPLETE: 2, FAILED: 1, PRUNED: 0 } });
    expect(list[1]).toStrictEqual({ ...other, trials: { RUNNING: 0, COMPLETE: 0, FAILED: 0, PRUNED: 0 } });
  });
}
