import { expect, it } from 'vitest';
import type { Json } from '../../../src/core/arch.js';
import { StorageMisuseError } from '../../../src/backend/storage/index.js';
import { rejection, type ContractContext } from './contract.js';
import { outcome, sample } from './values.js';

/** Contract cases of strategy snapshots, events, copies and closing. */
export function describeLogContract(ctx: ContractContext): void {
  it('has no strategy snapshot at first; the one saved last wins, per experiment', async () => {
    const id = ctx.experiment.id;
    expect(await ctx.storage.latestStrategyState(id)).toBeUndefined();
    await ctx.storage.saveStrategyState(id, 3, { population: [1, 2, 3], rng: [7, 8] });
    await ctx.storage.saveStrategyState(id, 2, { population: [1, 2], rng: [9, Number.NaN], weights: [Infinity] });
    const other = await ctx.storage.createExperiment({ name: 'other', config: {}, seed: 1 });
    await ctx.storage.saveStrategyState(other.id, 0, 'other state');

    expect(await ctx.storage.latestStrategyState(id)).toStrictEqual({
      afterTrial: 2,
      state: { population: [1, 2], rng: [9, Number.NaN], weights: [Infinity] },
      savedAt: 1_000_002,
    });
    expect((await ctx.storage.latestStrategyState(other.id))?.state).toBe('other state');
    await rejection(ctx.storage.saveStrategyState(999, 0, null), StorageMisuseError, 'UNKNOWN_EXPERIMENT');
  });

  it('appends events in order and filters them by type and by the last id seen', async () => {
    const id = ctx.experiment.id;
    const other = await ctx.storage.createExperiment({ name: 'other', config: {}, seed: 1 });
    const a = await ctx.storage.appendEvent(id, { type: 'trial-started', payload: { number: 0 } });
    await ctx.storage.appendEvent(other.id, { type: 'trial-started', payload: { number: 0, other: true } });
    const b = await ctx.storage.appendEvent(id, {
      type: 'darts-epoch',
      payload: { alphas: [[0.1, Number.NaN]], loss: -Infinity },
    });
    const c = await ctx.storage.appendEvent(id, { type: 'trial-started', payload: { number: 1 } });

    expect(a).toStrictEqual({ id: a.id, type: 'trial-started', payload: { number: 0 }, at: 1_000_002 });
    expect(b.id).toBeGreaterThan(a.id);
    expect(c.id).toBeGreaterThan(b.id);
    expect(await ctx.storage.listEvents(id)).toStrictEqual([a, b, c]);
    expect(await ctx.storage.listEvents(id, { type: 'trial-started' })).toStrictEqual([a, c]);
    expect(await ctx.storage.listEvents(id, { afterId: a.id })).toStrictEqual([b, c]);
    expect(await ctx.storage.listEvents(id, { type: 'darts-epoch', afterId: b.id })).toStrictEqual([]);
    expect((await ctx.storage.listEvents(id, { type: 'darts-epoch' }))[0]?.payload).toStrictEqual({
      alphas: [[0.1, Number.NaN]],
      loss: -Infinity,
    });
    await rejection(
      ctx.storage.appendEvent(999, { type: 'x', payload: null }),
      StorageMisuseError,
      'UNKNOWN_EXPERIMENT',
    );
  });

  it('copies values in and out: changing them afterwards changes nothing stored', async () => {
    const s = { ops: ['conv'] } as { ops: string[] };
    const t = await ctx.storage.createTrial(ctx.experiment.id, { number: 0, sample: s, key: 'k' });
    s.ops.push('added by the caller');
    (t.sample as { ops: string[] }).ops.push('added to the returned copy');
    const state = { weights: [1] };
    await ctx.storage.saveStrategyState(ctx.experiment.id, 0, state);
    state.weights.push(2);
    const result = outcome(1);
    const finished = await ctx.storage.finishTrial(t.id, { state: 'COMPLETE', outcome: result });
    (result.metrics as Record<string, number>).validationAccuracy = 0;
    (finished.outcome?.epochs as unknown[]).length = 0;

    const back = await ctx.storage.getTrial(t.id);
    expect(back?.sample).toStrictEqual({ ops: ['conv'] });
    expect(back?.outcome).toStrictEqual(outcome(1));
    expect((await ctx.storage.latestStrategyState(ctx.experiment.id))?.state).toStrictEqual({ weights: [1] });
  });

  it('serves calls issued together in the order they were issued', async () => {
    const issued = Array.from({ length: 20 }, (_, n) =>
      ctx.storage.createTrial(ctx.experiment.id, { number: n, sample: sample(n), key: `${n}` }),
    );
    const trials = await Promise.all(issued);
    const done = await Promise.all(
      trials.map((t, n) =>
        ctx.storage.finishTrial(t.id, n % 2 ? { state: 'PRUNED' } : { state: 'COMPLETE', outcome: outcome(1) }),
      ),
    );
    expect(done.map((t) => t.startedAt)).toEqual(trials.map((_, n) => 1_000_001 + n));
    expect((await ctx.storage.listTrials(ctx.experiment.id, { state: 'COMPLETE' })).length).toBe(10);
  });

  it('fails every call after close; closing twice is harmless', async () => {
    const pending = ctx.storage.appendEvent(ctx.experiment.id, { type: 'last', payload: 1 as Json });
    await ctx.storage.close();
    expect((await pending).type).toBe('last');
    await rejection(ctx.storage.getExperiment('cifar-evolution'), StorageMisuseError, 'CLOSED');
    await rejection(
      ctx.storage.createTrial(ctx.experiment.id, { number: 0, sample: 0, key: '0' }),
      StorageMisuseError,
      'CLOSED',
    );
    await ctx.storage.close();
  });
}
