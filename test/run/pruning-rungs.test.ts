import { describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import type { EpochMetrics, Trial } from '../../src/core/trial.js';
import type { ExperimentConfig } from '../../src/run/config.js';
import { resumeSearch, startSearch } from '../../src/run/search.js';
import { prunedAtOf } from '../../src/run/trial-pruner.js';
import { curveEvaluator, EPOCHS, valueAt } from './curve-evaluator.js';
import { testConfig } from './helpers.js';

/** Successive halving with η = 2 from epoch 1: rungs at epochs 1, 2 and 4 of the curve evaluator's 4. */
const config = (overrides: Partial<ExperimentConfig> = {}): ExperimentConfig =>
  testConfig({
    strategy: { name: 'random', options: {} },
    pruner: { name: 'successive-halving', options: { minResource: 1, reductionFactor: 2, minEarlyStoppingRate: 0 } },
    budget: { trials: 12 },
    workers: 1,
    train: { epochs: EPOCHS, batchSize: 32 },
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

describe('successive halving as a pruner in the driver (in-process curves, real SQLite file)', () => {
  it('stops each trial at the first rung where it is not in the top half of the trials that reached it, and names the rung', async () => {
    const c = config({ name: 'rungs' });
    expect(await startSearch(c, { emit: () => undefined, evaluator: curveEvaluator() })).toBe('finished');
    const { trials, epochs } = await recorded(c);
    expect(trials).toHaveLength(12);

    // One worker: replay the rule over the trials in order, each against the curves of those before it.
    const reached: number[][] = []; // per earlier trial, its values at epochs 1..(where it stopped)
    let prunedCount = 0;
    for (const t of trials) {
      const key = JSON.stringify(t.sample);
      const values: number[] = [];
      let stop: { step: number; rung: number } | undefined;
      for (const [rung, step] of [1, 2, 4].entries()) {
        while (values.length < step) values.push(valueAt(key, values.length + 1));
        const own = values[step - 1] as number;
        const competing = [...reached.filter((r) => r.length >= step).map((r) => r[step - 1] as number), own].sort(
          (a, b) => a - b,
        );
        const kept = Math.max(Math.floor(competing.length / 2), 1);
        if (own < (competing[competing.length - kept] as number)) {
          stop = { step, rung };
          break;
        }
      }
      if (stop === undefined) {
        expect(t.state, `trial ${t.number}`).toBe('COMPLETE');
        reached.push(Array.from({ length: EPOCHS }, (_, i) => valueAt(key, i + 1)));
      } else {
        prunedCount++;
        expect(t.state, `trial ${t.number}`).toBe('PRUNED');
        expect(prunedAtOf(t)).toEqual({ ...stop, metric: 'validationAccuracy', value: valueAt(key, stop.step) });
        expect(t.message).toMatch(
          new RegExp(
            `^pruned at epoch ${stop.step} \\(rung ${stop.rung}\\): validationAccuracy \\S+ \\(successive-halving: rung ${stop.rung} \\(epoch ${stop.step}\\): `,
          ),
        );
        expect(epochs.get(t.number)?.map((e) => e.epoch)).toEqual(Array.from({ length: stop.step }, (_, i) => i + 1));
        reached.push(values.slice(0, stop.step));
      }
    }
    expect(prunedCount).toBeGreaterThan(0);
    expect(prunedCount).toBeLessThan(12);
  });

  it('a resumed search reads the pruned trials back and decides exactly as an uninterrupted one', async () => {
    const whole = config({ name: 'rungs-whole' });
    await startSearch(whole, { emit: () => undefined, evaluator: curveEvaluator() });
    const reference = (await recorded(whole)).trials;

    const cut = config({ name: 'rungs-cut' });
    let finished = 0;
    let stopper: ((why: string) => void) | undefined;
    const stop = {
      onStop: (listener: (why: string) => void) => (stopper = (why) => ++finished === 6 && listener(why)),
    };
    const emit = (e: { type: string }) => {
      if (e.type === 'trial-finished') stopper?.('test stop');
    };
    expect(await startSearch(cut, { emit, stop, evaluator: curveEvaluator() })).toBe('stopped');
    expect(await resumeSearch(cut.storage, cut.name, { emit: () => undefined, evaluator: curveEvaluator() })).toBe(
      'finished',
    );
    const view = (ts: readonly Trial[]) => ts.map((t) => [t.number, t.key, t.state, t.message ?? null]);
    const resumed = (await recorded(cut)).trials;
    expect(view(resumed)).toEqual(view(reference));
    expect(resumed.some((t) => t.number < 6 && t.state === 'PRUNED')).toBe(true);
    expect(resumed.some((t) => t.number >= 6 && t.state === 'PRUNED')).toBe(true);
  });
});
