import { describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import type { EpochMetrics, Trial } from '../../src/core/trial.js';
import type { ExperimentConfig } from '../../src/run/config.js';
import { resumeSearch, startSearch } from '../../src/run/search.js';
import { prunedAtOf } from '../../src/run/trial-pruner.js';
import { curveEvaluator, EPOCHS, valueAt } from './curve-evaluator.js';
import { eventLog, testConfig } from './helpers.js';

const config = (overrides: Partial<ExperimentConfig> = {}): ExperimentConfig =>
  testConfig({
    strategy: { name: 'regularized-evolution', options: { populationSize: 4, sampleSize: 2 } },
    pruner: { name: 'median', options: { nStartupTrials: 3, nWarmupSteps: 0, intervalSteps: 1 } },
    budget: { trials: 16 },
    workers: 1,
    ...overrides,
  });

async function recorded(
  c: ExperimentConfig,
): Promise<{ trials: readonly Trial[]; epochs: Map<number, readonly EpochMetrics[]> }> {
  const storage = await openSqliteStorage(c.storage, { readonly: true });
  try {
    const trials = await storage.listTrials((await storage.getExperiment(c.name))?.id ?? -1);
    const epochs = new Map<number, readonly EpochMetrics[]>();
    for (const t of trials) epochs.set(t.number, await storage.listEpochs(t.id));
    return { trials, epochs };
  } finally {
    await storage.close();
  }
}

/** The median as the test computes it (sorted, mean of the middle two). */
function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

describe('pruning in the driver (in-process curves, real SQLite file)', () => {
  it('prunes exactly the trials whose best so far falls below the median of the earlier complete ones, and spends the budget exactly', async () => {
    const c = config();
    const log = eventLog();
    const evaluator = curveEvaluator();
    expect(await startSearch(c, { emit: log.emit, evaluator })).toBe('finished');
    const { trials, epochs } = await recorded(c);
    expect(trials).toHaveLength(16);
    expect(trials.every((t) => t.state === 'COMPLETE' || t.state === 'PRUNED')).toBe(true);
    const pruned = trials.filter((t) => t.state === 'PRUNED');
    expect(pruned.length).toBeGreaterThan(0);
    expect(pruned.length).toBeLessThan(16 - 3);

    // One worker: the complete trials before a trial are the ones it is judged against. Replay the rule.
    const done: Trial[] = [];
    for (const t of trials) {
      const curve = Array.from({ length: EPOCHS }, (_, i) => valueAt(JSON.stringify(t.sample), i + 1));
      let stop: number | undefined;
      for (let step = 1; step <= EPOCHS && done.length >= 3 && stop === undefined; step++) {
        const best = Math.max(...curve.slice(0, step));
        if (best < median(done.map((d) => valueAt(JSON.stringify(d.sample), step)))) stop = step;
      }
      if (stop === undefined) {
        expect(t.state, `trial ${t.number}`).toBe('COMPLETE');
        expect(epochs.get(t.number)?.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
        done.push(t);
      } else {
        expect(t.state, `trial ${t.number}`).toBe('PRUNED');
        expect(prunedAtOf(t)).toEqual({ step: stop, metric: 'validationAccuracy', value: curve[stop - 1] });
        expect(t.message).toMatch(
          new RegExp(
            `^pruned at epoch ${stop}: validationAccuracy \\S+ \\(median: best \\S+ is below \\S+, the median of ${done.length} complete trials at epoch ${stop}\\)$`,
          ),
        );
        // The record keeps the epochs up to the decision, and the worker was stopped there.
        expect(epochs.get(t.number)?.map((e) => e.epoch)).toEqual(Array.from({ length: stop }, (_, i) => i + 1));
        expect(evaluator.sent.get(t.number)).toBe(stop);
        expect(t.outcome).toBeUndefined();
        expect(t.reason).toBeUndefined();
      }
    }
    expect(log.events.filter((e) => e.type === 'trial-finished' && e.trial.state === 'PRUNED')).toHaveLength(
      pruned.length,
    );
    expect(log.events.at(-1)).toMatchObject({
      type: 'experiment-finished',
      status: 'finished',
      counts: { COMPLETE: 16 - pruned.length, PRUNED: pruned.length },
    });
  });

  it('a search stopped and resumed decides and proposes exactly as an uninterrupted one', async () => {
    const whole = config({ name: 'whole' });
    await startSearch(whole, { emit: () => undefined, evaluator: curveEvaluator() });
    const reference = (await recorded(whole)).trials;

    const cut = config({ name: 'cut' });
    let stopper: ((why: string) => void) | undefined;
    const emit = (e: { type: string }) => {
      if (e.type === 'trial-finished' && stopper !== undefined) stopper('test stop');
    };
    let finished = 0;
    const stopAfter7 = {
      onStop: (listener: (why: string) => void) => (stopper = (why) => ++finished === 7 && listener(why)),
    };
    expect(await startSearch(cut, { emit, stop: stopAfter7, evaluator: curveEvaluator() })).toBe('stopped');
    expect((await recorded(cut)).trials).toHaveLength(7);
    expect(await resumeSearch(cut.storage, cut.name, { emit: () => undefined, evaluator: curveEvaluator() })).toBe(
      'finished',
    );
    const resumed = (await recorded(cut)).trials;
    const view = (ts: readonly Trial[]) => ts.map((t) => [t.number, t.key, t.state, t.message ?? null]);
    expect(view(resumed)).toEqual(view(reference));
    expect(resumed.some((t) => t.number < 7 && t.state === 'PRUNED')).toBe(true);
    expect(resumed.some((t) => t.number >= 7 && t.state === 'PRUNED')).toBe(true);
  });
});
