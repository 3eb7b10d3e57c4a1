import { describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import { createSpace } from '../../src/space/spaces/index.js';
import { resumeSearch, startSearch } from '../../src/run/search.js';
import { completed, eventLog, fakeAccuracy, lookupEvaluator, testConfig } from './helpers.js';

const space = createSpace('nb201');
const byKey = lookupEvaluator(2, (task) => completed(fakeAccuracy(space.key(task.sample as never))));

async function trialsOf(db: string, name = 'exp') {
  const storage = await openSqliteStorage(db);
  try {
    const experiment = await storage.getExperiment(name);
    return { experiment, trials: await storage.listTrials(experiment?.id ?? -1) };
  } finally {
    await storage.close();
  }
}

describe('the driver (in-process evaluator, real SQLite file)', () => {
  it('runs exactly the budget, records every trial and finishes the experiment', async () => {
    const config = testConfig({ budget: { trials: 12 } });
    const log = eventLog();
    expect(await startSearch(config, { emit: log.emit, evaluator: byKey })).toBe('finished');
    const { experiment, trials } = await trialsOf(config.storage);
    expect(experiment?.status).toBe('finished');
    expect(trials).toHaveLength(12);
    expect(trials.every((t) => t.state === 'COMPLETE')).toBe(true);
    expect(trials.map((t) => t.number)).toEqual([...Array(12).keys()]);
    expect(new Set(trials.map((t) => t.key)).size).toBe(12);
    expect(trials[3]?.outcome?.metrics.validationAccuracy).toBe(fakeAccuracy(trials[3]?.key ?? ''));
    expect(log.events.filter((e) => e.type === 'trial-finished')).toHaveLength(12);
    expect(log.events.at(-1)).toMatchObject({
      type: 'experiment-finished',
      status: 'finished',
      counts: { COMPLETE: 12 },
    });
  });

  it('proposes the same architectures for the same seed, others for another seed', async () => {
    const keys = async (seed: number) => {
      const config = testConfig({ seed, budget: { trials: 8 }, workers: 1 });
      await startSearch(config, { emit: () => undefined, evaluator: lookupEvaluator(1, () => completed(0.5)) });
      return (await trialsOf(config.storage)).trials.map((t) => t.key);
    };
    const [a, b, c] = [await keys(1), await keys(1), await keys(2)];
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });

  it('records failed trials with their reasons and goes on to the budget', async () => {
    const config = testConfig({ budget: { trials: 9 } });
    const evaluator = lookupEvaluator(
      3,
      (task) => {
        if (task.number % 4 === 1)
          return {
            ok: false,
            kind: 'error',
            error: { name: 'DivergedError', message: 'loss NaN', reason: 'diverged' },
          };
        if (task.number === 2)
          return {
            ok: false,
            kind: 'crashed',
            error: { name: 'WorkerCrash', message: 'signal SIGABRT', reason: 'crashed' },
          };
        if (task.number === 6)
          return { ok: false, kind: 'error', error: { name: 'Error', message: 'OOM when allocating tensor' } };
        return completed(0.3);
      },
      (task) => (task.number * 37) % 11,
    );
    await startSearch(config, { emit: () => undefined, evaluator });
    const { trials } = await trialsOf(config.storage);
    expect(trials).toHaveLength(9);
    const reasons = Object.fromEntries(trials.filter((t) => t.state === 'FAILED').map((t) => [t.number, t.reason]));
    expect(reasons).toEqual({ 1: 'diverged', 2: 'crashed', 5: 'diverged', 6: 'out-of-memory' });
    expect(trials.filter((t) => t.state === 'COMPLETE')).toHaveLength(5);
  });

  it('stops gracefully, then resumes to exactly the budget with nothing lost or repeated', async () => {
    const config = testConfig({ budget: { trials: 10 }, workers: 2 });
    let stop: (why: string) => void = () => undefined;
    const log = eventLog();
    const emit = (e: Parameters<typeof log.emit>[0]) => {
      log.emit(e);
      if (e.type === 'trial-finished' && e.trial.number === 3) stop('test');
    };
    const slow = lookupEvaluator(
      2,
      (task) => completed(fakeAccuracy(String(task.number))),
      () => 5,
    );
    const first = await startSearch(config, { emit, evaluator: slow, stop: { onStop: (l) => (stop = l) } });
    expect(first).toBe('stopped');
    const before = (await trialsOf(config.storage)).trials;
    expect(before.length).toBeLessThan(10);
    expect((await trialsOf(config.storage)).experiment?.status).toBe('stopped');
    expect(await resumeSearch(config.storage, 'exp', { emit: () => undefined, evaluator: slow })).toBe('finished');
    const after = (await trialsOf(config.storage)).trials;
    expect(after.filter((t) => t.state === 'COMPLETE')).toHaveLength(10);
    expect(new Set(after.map((t) => t.key)).size).toBe(after.length);
    expect(after.slice(0, before.length).map((t) => t.key)).toEqual(before.map((t) => t.key));
  });
});

describe('successive halving through the driver (config strategy.halving)', () => {
  it('runs new samples at the lowest rung and promotes the best to higher epochs, each recorded with its fidelity', async () => {
    const config = testConfig({
      budget: { trials: 18 },
      workers: 1,
      strategy: { name: 'random', options: {}, halving: { fidelity: 'epochs', min: 1, max: 9, eta: 3, brackets: 1 } },
    });
    const byEpochs = lookupEvaluator(1, (task) =>
      completed(fakeAccuracy(space.key(task.sample as never)) + (task.fidelity?.epochs ?? 0) / 100),
    );
    await startSearch(config, { emit: () => undefined, evaluator: byEpochs });
    const { trials } = await trialsOf(config.storage);
    expect(trials).toHaveLength(18);
    const epochs = trials.map((t) => t.fidelity?.epochs);
    expect(new Set(epochs)).toEqual(new Set([1, 3, 9]));
    expect(epochs[0]).toBe(1);
    for (const promoted of trials.filter((t) => (t.fidelity?.epochs ?? 0) > 1)) {
      const lower = trials.filter((t) => t.key === promoted.key && t.number < promoted.number);
      expect(lower.map((t) => t.fidelity?.epochs)).toContain((promoted.fidelity?.epochs ?? 0) / 3);
    }
  });
});

describe('a multi-objective search', () => {
  it('stores its Pareto front (trial numbers) as an event at the end', async () => {
    const config = testConfig({
      budget: { trials: 10 },
      objectives: [
        { metric: 'validationAccuracy', direction: 'max' },
        { metric: 'macs', direction: 'min' },
      ],
    });
    const evaluator = lookupEvaluator(2, (task) => {
      const outcome = completed(fakeAccuracy(space.key(task.sample as never)));
      return outcome.ok
        ? {
            ok: true,
            value: { ...outcome.value, cost: { ...outcome.value.cost, macs: 1000 + ((task.number * 37) % 10) } },
          }
        : outcome;
    });
    await startSearch(config, { emit: () => undefined, evaluator });
    const storage = await openSqliteStorage(config.storage);
    try {
      const experiment = await storage.getExperiment('exp');
      const trials = await storage.listTrials(experiment?.id ?? -1);
      const [event] = await storage.listEvents(experiment?.id ?? -1, { type: 'pareto-front' });
      const front = (event?.payload as { trials: number[] }).trials;
      const score = (n: number) => {
        const t = trials.find((x) => x.number === n);
        return [t?.outcome?.metrics.validationAccuracy ?? 0, -(t?.outcome?.cost.macs ?? 0)];
      };
      const dominated = (a: number[], b: number[]) =>
        b.every((v, i) => v >= (a[i] as number)) && b.some((v, i) => v > (a[i] as number));
      expect(front.length).toBeGreaterThan(0);
      for (const n of front) expect(trials.some((t) => dominated(score(n), score(t.number)))).toBe(false);
      for (const t of trials.filter((t) => !front.includes(t.number)))
        expect(trials.some((o) => dominated(score(t.number), score(o.number)))).toBe(true);
    } finally {
      await storage.close();
    }
  });
});
