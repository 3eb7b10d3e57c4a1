import { expect, it } from 'vitest';
import type { Trial } from '../../../src/core/trial.js';
import { StorageMisuseError, type TrialResult } from '../../../src/backend/storage/index.js';
import { rejection, type ContractContext } from './contract.js';
import { epoch, outcome, sample } from './values.js';

/** A run's diagnostics over two epochs, as a running trial reports them: two checks, a histogram, a flag raised by the second check. */
const runEpochs = [
  {
    epoch: 1,
    checks: [{ step: 2, epoch: 1, globalGradNorm: 0.5, layers: [{ layer: 'conv1', gradNorm: 0.5, weightNorm: 3 }] }],
    histograms: [],
    flags: [],
  },
  {
    epoch: 2,
    checks: [
      {
        step: 4,
        epoch: 2,
        globalGradNorm: 0.25,
        activations: [{ layer: 'relu1', kind: 'relu', mean: 0.1, std: 0.2, zeroFraction: 0.95, deadFraction: 0.5 }],
      },
    ],
    histograms: [{ epoch: 2, layer: 'conv1', kind: 'weight', min: -1, max: 1, counts: [1, 2, 1] }],
    flags: [{ kind: 'dead-relu', layer: 'relu1', firstStep: 4, step: 4, value: 0.5, threshold: 0.4 }],
  },
] as const;

/** What the trial's record keeps of {@link runEpochs}: the check interval and the flags. */
const runSummary = { every: 2, flags: runEpochs[1].flags };

/** Contract cases of trials: round trips, non-finite numbers, the rules of finishing, resume. */
export function describeTrialContract(ctx: ContractContext): void {
  const create = (number: number, extra: object = {}): Promise<Trial> =>
    ctx.storage.createTrial(ctx.experiment.id, { number, sample: sample(number), key: `key-${number}`, ...extra });

  it('round-trips a trial with every field, from RUNNING to COMPLETE', async () => {
    const running = await create(0, { fidelity: { epochs: 4, fraction: 0.5 }, worker: 'w3', retryOf: 7 });
    const started = {
      id: running.id,
      number: 0,
      sample: sample(0),
      key: 'key-0',
      fidelity: { epochs: 4, fraction: 0.5 },
      worker: 'w3',
      retryOf: 7,
    };
    expect(running).toStrictEqual({ ...started, state: 'RUNNING', startedAt: 1_000_001 });
    expect(await ctx.storage.getTrial(running.id)).toStrictEqual(running);

    const result = {
      ...outcome(3),
      diagnostics: runSummary,
      engine: { name: 'eager', fallback: 'op "mix" not compiled' } as const,
    };
    const measured = { ...result, cost: { ...result.cost, measuredLatencyMs: 0.75, compiledLatencyMs: 0.25 } };
    for (const record of runEpochs) await ctx.storage.addDiagnostics(running.id, record);
    const finished = await ctx.storage.finishTrial(running.id, {
      state: 'COMPLETE',
      message: 'fine',
      outcome: measured,
    });
    const recorded = measured;
    const expected = {
      ...started,
      state: 'COMPLETE',
      message: 'fine',
      outcome: recorded,
      startedAt: 1_000_001,
      finishedAt: 1_000_002,
    };
    expect(finished).toStrictEqual(expected);
    expect(await ctx.storage.getTrial(running.id)).toStrictEqual(expected);
    expect(await ctx.storage.listTrials(ctx.experiment.id)).toStrictEqual([expected]);
    expect(await ctx.storage.listEpochs(running.id)).toStrictEqual(measured.epochs);
    expect(await ctx.storage.listDiagnostics(running.id)).toStrictEqual(runEpochs);
  });

  it('records diagnostics per epoch while a trial runs; finishing keeps them, and the record keeps the interval and the flags, with an outcome or without', async () => {
    const t = await create(0);
    const live = { epoch: 1, checks: [{ step: 2, epoch: 1, globalGradNorm: 9 }], histograms: [], flags: [] };
    await ctx.storage.addDiagnostics(t.id, live);
    expect(await ctx.storage.listDiagnostics(t.id)).toStrictEqual([live]);
    await rejection(ctx.storage.addDiagnostics(t.id, live), StorageMisuseError, 'DUPLICATE_EPOCH');
    await rejection(ctx.storage.addDiagnostics(t.id, { ...live, epoch: -1 }), StorageMisuseError, 'INVALID_INPUT');

    await ctx.storage.finishTrial(t.id, { state: 'COMPLETE', outcome: { ...outcome(3), diagnostics: runSummary } });
    expect(await ctx.storage.listDiagnostics(t.id)).toStrictEqual([live]);
    expect((await ctx.storage.getTrial(t.id))?.outcome?.diagnostics).toStrictEqual(runSummary);
    await rejection(ctx.storage.addDiagnostics(t.id, { ...live, epoch: 4 }), StorageMisuseError, 'TRIAL_NOT_RUNNING');

    // Stopped by diagnostics.stopOn: no outcome; the record keeps the interval and the flags, the rows stay.
    const stopped = await create(1);
    for (const record of runEpochs) await ctx.storage.addDiagnostics(stopped.id, record);
    const finished = await ctx.storage.finishTrial(stopped.id, {
      state: 'FAILED',
      reason: 'diagnostics',
      message: 'stopped',
      diagnostics: runSummary,
    });
    const expected = {
      ...stopped,
      state: 'FAILED',
      reason: 'diagnostics',
      message: 'stopped',
      diagnostics: runSummary,
      finishedAt: 1_000_004,
    };
    expect(finished).toStrictEqual(expected);
    expect(await ctx.storage.getTrial(stopped.id)).toStrictEqual(expected);
    expect(await ctx.storage.listTrials(ctx.experiment.id, { state: 'FAILED' })).toStrictEqual([expected]);
    expect(await ctx.storage.listDiagnostics(stopped.id)).toStrictEqual(runEpochs);

    const failed = await create(2);
    await ctx.storage.addDiagnostics(failed.id, live);
    await ctx.storage.finishTrial(failed.id, { state: 'FAILED', reason: 'diverged' });
    expect(await ctx.storage.listDiagnostics(failed.id)).toStrictEqual([live]);
    expect((await ctx.storage.getTrial(failed.id))?.diagnostics).toBeUndefined();
    expect(await ctx.storage.listDiagnostics(999_999)).toStrictEqual([]);
  });

  it('returns no member for an optional field left out (not even undefined)', async () => {
    const running = await create(5);
    expect(running).toStrictEqual({
      id: running.id,
      number: 5,
      sample: sample(5),
      key: 'key-5',
      state: 'RUNNING',
      startedAt: 1_000_001,
    });
    const failed = await ctx.storage.finishTrial(running.id, { state: 'FAILED', reason: 'out-of-memory' });
    expect(failed).toStrictEqual({ ...running, state: 'FAILED', reason: 'out-of-memory', finishedAt: 1_000_002 });
    expect(await ctx.storage.getTrial(running.id)).toStrictEqual(failed);
  });

  it('keeps NaN and ±Infinity wherever a number goes (SQLite would store NULL)', async () => {
    const odd = { w: [1, Number.NaN, [Infinity]], 'a.b': -Infinity, n: null };
    const t = await ctx.storage.createTrial(ctx.experiment.id, {
      number: 0,
      sample: odd,
      key: 'odd',
      fidelity: { epochs: Infinity },
    });
    await ctx.storage.addEpoch(
      t.id,
      epoch(0, { trainLoss: Number.NaN, validationLoss: Infinity, learningRate: -Infinity }),
    );
    expect(await ctx.storage.listEpochs(t.id)).toStrictEqual([
      epoch(0, { trainLoss: Number.NaN, validationLoss: Infinity, learningRate: -Infinity }),
    ]);

    const base = outcome(1, { loss: Number.NaN, validationAccuracy: -Infinity });
    const diverged = {
      ...base,
      cost: { ...base.cost, estimatedLatencyMs: Infinity, measuredLatencyMs: Number.NaN },
      epochs: [epoch(0, { trainLoss: Number.NaN, seconds: Infinity })],
      diagnostics: {
        every: 1,
        flags: [{ kind: 'exploding', firstStep: 1, step: 1, value: Infinity, threshold: 1000 }],
      },
      seconds: Number.NaN,
    } as const;
    const record = {
      epoch: 0,
      checks: [{ step: 1, epoch: 0, globalGradNorm: Number.NaN }],
      histograms: [{ epoch: 0, layer: 'c', kind: 'gradient', min: -Infinity, max: Number.NaN, counts: [1] }],
      flags: diverged.diagnostics.flags,
    } as const;
    await ctx.storage.addDiagnostics(t.id, record);
    await ctx.storage.finishTrial(t.id, { state: 'FAILED', reason: 'diverged', outcome: diverged });
    const back = await ctx.storage.getTrial(t.id);
    expect(back?.sample).toStrictEqual(odd);
    expect(back?.fidelity).toStrictEqual({ epochs: Infinity });
    expect(back?.outcome).toStrictEqual(diverged);
    expect(await ctx.storage.listDiagnostics(t.id)).toStrictEqual([record]);
    expect(Number.isNaN(back?.outcome?.metrics.loss)).toBe(true);
  });

  it('refuses to finish a trial twice, and keeps the first result', async () => {
    const t = await create(0);
    const first = await ctx.storage.finishTrial(t.id, { state: 'PRUNED', message: 'early stop' });
    const error = await rejection(
      ctx.storage.finishTrial(t.id, { state: 'COMPLETE', outcome: outcome() }),
      StorageMisuseError,
      'TRIAL_FINISHED',
    );
    expect(error.message).toContain('already PRUNED');
    expect(await ctx.storage.getTrial(t.id)).toStrictEqual(first);
  });

  it('refuses a result that breaks the rules, leaving the trial RUNNING and its epochs as they were', async () => {
    const t = await create(0);
    await ctx.storage.addEpoch(t.id, epoch(0));
    const bad: [TrialResult, string][] = [
      [{ state: 'FAILED' }, 'INVALID_INPUT'],
      [{ state: 'COMPLETE' }, 'INVALID_INPUT'],
      [{ state: 'COMPLETE', reason: 'error', outcome: outcome() }, 'INVALID_INPUT'],
      [{ state: 'RUNNING' } as unknown as TrialResult, 'INVALID_INPUT'],
      [{ state: 'PRUNED', outcome: { ...outcome(), epochs: [epoch(1), epoch(1)] } }, 'DUPLICATE_EPOCH'],
    ];
    for (const [result, code] of bad) await rejection(ctx.storage.finishTrial(t.id, result), StorageMisuseError, code);
    expect(await ctx.storage.getTrial(t.id)).toStrictEqual(t);
    expect(await ctx.storage.listEpochs(t.id)).toStrictEqual([epoch(0)]);
  });

  it('refuses a trial number used twice in one experiment, and allows it in another', async () => {
    await create(3);
    const error = await rejection(create(3), StorageMisuseError, 'DUPLICATE_TRIAL');
    expect(error.message).toContain('numbered 3');
    const other = await ctx.storage.createExperiment({ name: 'other', config: {}, seed: 1 });
    expect((await ctx.storage.createTrial(other.id, { number: 3, sample: 1, key: '1' })).number).toBe(3);
    await rejection(
      ctx.storage.createTrial(ctx.experiment.id, { number: -1, sample: 1, key: '1' }),
      StorageMisuseError,
      'INVALID_INPUT',
    );
    await rejection(
      ctx.storage.createTrial(ctx.experiment.id, { number: 9, sample: 1, key: '' }),
      StorageMisuseError,
      'INVALID_INPUT',
    );
  });

  it('names unknown trials and experiments in its errors', async () => {
    await rejection(
      ctx.storage.createTrial(999, { number: 0, sample: 1, key: '1' }),
      StorageMisuseError,
      'UNKNOWN_EXPERIMENT',
    );
    await rejection(ctx.storage.finishTrial(999, { state: 'PRUNED' }), StorageMisuseError, 'UNKNOWN_TRIAL');
    await rejection(ctx.storage.addEpoch(999, epoch(0)), StorageMisuseError, 'UNKNOWN_TRIAL');
    expect(await ctx.storage.getTrial(999)).toBeUndefined();
    expect(await ctx.storage.listEpochs(999)).toStrictEqual([]);
    expect(await ctx.storage.listTrials(999)).toStrictEqual([]);
  });

  it('records epochs while a trial runs, once each; an outcome replaces them', async () => {
    const t = await create(0);
    await ctx.storage.addEpoch(t.id, epoch(1));
    await ctx.storage.addEpoch(t.id, epoch(0));
    await rejection(ctx.storage.addEpoch(t.id, epoch(1, { trainLoss: 9 })), StorageMisuseError, 'DUPLICATE_EPOCH');
    expect(await ctx.storage.listEpochs(t.id)).toStrictEqual([epoch(0), epoch(1)]);
    const finished = await ctx.storage.finishTrial(t.id, { state: 'COMPLETE', outcome: outcome(3) });
    expect(await ctx.storage.listEpochs(t.id)).toStrictEqual(outcome(3).epochs);
    expect(finished.outcome?.epochs).toStrictEqual(outcome(3).epochs);
    await rejection(ctx.storage.addEpoch(t.id, epoch(5)), StorageMisuseError, 'TRIAL_NOT_RUNNING');
  });

  it('keeps the epochs of a trial that failed without an outcome', async () => {
    const t = await create(0);
    await ctx.storage.addEpoch(t.id, epoch(0, { trainLoss: Number.NaN }));
    await ctx.storage.finishTrial(t.id, { state: 'FAILED', reason: 'diverged', message: 'loss is NaN' });
    expect(await ctx.storage.listEpochs(t.id)).toStrictEqual([epoch(0, { trainLoss: Number.NaN })]);
    expect((await ctx.storage.getTrial(t.id))?.outcome).toBeUndefined();
  });

  it('lists trials by number whatever the order they were created and finished in; filters by state', async () => {
    const made = new Map<number, Trial>();
    for (const n of [3, 0, 4, 2, 1]) made.set(n, await create(n));
    await ctx.storage.finishTrial(made.get(4)!.id, { state: 'COMPLETE', outcome: outcome(1) });
    await ctx.storage.finishTrial(made.get(0)!.id, { state: 'COMPLETE', outcome: outcome(2) });
    await ctx.storage.finishTrial(made.get(2)!.id, { state: 'FAILED', reason: 'timeout' });
    expect((await ctx.storage.listTrials(ctx.experiment.id)).map((t) => t.number)).toEqual([0, 1, 2, 3, 4]);
    const complete = await ctx.storage.listTrials(ctx.experiment.id, { state: 'COMPLETE' });
    expect(complete.map((t) => [t.number, t.outcome?.epochs.length])).toEqual([
      [0, 2],
      [4, 1],
    ]);
    expect((await ctx.storage.listTrials(ctx.experiment.id, { state: 'RUNNING' })).map((t) => t.number)).toEqual([
      1, 3,
    ]);
    expect(await ctx.storage.listTrials(ctx.experiment.id, { state: 'PRUNED' })).toStrictEqual([]);
  });

  it('marks exactly the RUNNING trials of the experiment FAILED interrupted, once', async () => {
    const t = await Promise.all([0, 1, 2, 3, 4].map((n) => create(n)));
    await ctx.storage.finishTrial(t[0]!.id, { state: 'COMPLETE', outcome: outcome() });
    await ctx.storage.finishTrial(t[2]!.id, { state: 'FAILED', reason: 'crashed' });
    await ctx.storage.finishTrial(t[3]!.id, { state: 'PRUNED' });
    await ctx.storage.addEpoch(t[4]!.id, epoch(0));
    const other = await ctx.storage.createExperiment({ name: 'other', config: {}, seed: 1 });
    const elsewhere = await ctx.storage.createTrial(other.id, { number: 0, sample: 0, key: '0' });
    const before = await ctx.storage.listTrials(ctx.experiment.id);

    const moved = await ctx.storage.markInterrupted(ctx.experiment.id);
    const interrupted = {
      state: 'FAILED',
      reason: 'interrupted',
      message: 'the process running the search ended while this trial ran',
    };
    expect(moved).toStrictEqual([
      { ...t[1], ...interrupted, finishedAt: moved[0]!.finishedAt },
      { ...t[4], ...interrupted, finishedAt: moved[0]!.finishedAt },
    ]);
    const after = await ctx.storage.listTrials(ctx.experiment.id);
    expect(after.filter((x) => x.number !== 1 && x.number !== 4)).toStrictEqual(
      before.filter((x) => x.number !== 1 && x.number !== 4),
    );
    expect(after.filter((x) => x.number === 1 || x.number === 4)).toStrictEqual(moved);
    expect(await ctx.storage.listEpochs(t[4]!.id)).toStrictEqual([epoch(0)]);
    expect(await ctx.storage.markInterrupted(ctx.experiment.id)).toStrictEqual([]);
    expect(await ctx.storage.getTrial(elsewhere.id)).toStrictEqual(elsewhere);
    await rejection(ctx.storage.markInterrupted(999), StorageMisuseError, 'UNKNOWN_EXPERIMENT');
  });
}
