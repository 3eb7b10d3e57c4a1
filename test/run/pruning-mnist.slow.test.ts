import { describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import type { ExperimentConfig } from '../../src/run/config.js';
import { startSearch } from '../../src/run/search.js';
import { prunedAtOf, REPORT_EVENT } from '../../src/run/trial-pruner.js';
import { isJsonObject, type Json } from '../../src/core/arch.js';
import type { StepReport } from '../../src/core/trial.js';
import { eventLog, storedTrials, testConfig } from './helpers.js';

/** Regularized evolution on MNIST in a small macro space, 3 epochs per trial, the median pruner judging from the first epoch. */
const config: ExperimentConfig = testConfig({
  name: 'mnist-pruned',
  dataset: { name: 'mnist', options: {}, validationFraction: 0.2, subset: 1500 },
  space: {
    name: 'macro',
    options: {
      stem: 'conv3x3',
      stemChannels: 8,
      stageWidths: [8, 16],
      widthMultipliers: ['0.5', '1'],
      depths: [1, 2],
      expansions: [1, 2],
      kernels: [3],
      strides: [2],
      blocks: ['basic', 'inverted_residual', 'separable'],
      attention: ['none', 'se'],
    },
  },
  strategy: { name: 'regularized-evolution', options: { populationSize: 4, sampleSize: 2 } },
  pruner: { name: 'median', options: { nStartupTrials: 2, nWarmupSteps: 1, intervalSteps: 1 } },
  train: { epochs: 3, batchSize: 64 },
  budget: { trials: 10 },
  workers: 2,
});

describe('pruning a real search (isolated pool, native backend, MNIST, SQLite)', () => {
  it('stops trials below the median in their worker, records them PRUNED at their epoch, and spends the budget exactly', async () => {
    const log = eventLog();
    expect(await startSearch(config, { emit: log.emit })).toBe('finished');
    const trials = await storedTrials(config);
    const pruned = trials.filter((t) => t.state === 'PRUNED');
    const complete = trials.filter((t) => t.state === 'COMPLETE');
    expect(trials).toHaveLength(10);
    expect(pruned.length + complete.length).toBe(10);
    expect(pruned.length).toBeGreaterThan(0);
    for (const t of complete) expect(t.outcome?.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);

    const storage = await openSqliteStorage(config.storage, { readonly: true });
    try {
      for (const t of pruned) {
        const at = prunedAtOf(t);
        const epochs = await storage.listEpochs(t.id);
        expect(t.outcome).toBeUndefined();
        expect(at?.metric).toBe('validationAccuracy');
        // Its record stops at the epoch it was judged at, with that epoch's value.
        expect(epochs.map((e) => e.epoch)).toEqual(Array.from({ length: at?.step ?? 0 }, (_, i) => i + 1));
        expect(epochs[epochs.length - 1]?.validationAccuracy).toBe(at?.value);
        expect(at?.step).toBeGreaterThanOrEqual(1);
      }
      // Pruning saved epochs: fewer than 3 per pruned trial on the whole.
      const epochsRun = (await Promise.all(trials.map((t) => storage.listEpochs(t.id)))).reduce(
        (n, e) => n + e.length,
        0,
      );
      console.log(
        `pruned ${pruned.length}/10 trials, ${epochsRun} epochs trained of ${10 * 3}`,
        pruned.map((t) => t.message),
      );
      expect(pruned.some((t) => (prunedAtOf(t)?.step ?? 3) < 3)).toBe(true);
      expect(epochsRun).toBeLessThan(30);
    } finally {
      await storage.close();
    }
    const finished = log.events.filter((e) => e.type === 'trial-finished');
    expect(finished.filter((e) => e.type === 'trial-finished' && e.trial.state === 'PRUNED')).toHaveLength(
      pruned.length,
    );
  });

  it('with reportEvery, judges reports within the epochs: trials pruned mid-epoch, their reports stored', async () => {
    // 1,500 training images (the subset), batch 64: 24 steps an epoch; a report every 10 steps, on
    // 1,200 validation images (each report evaluates them all).
    const reporting: ExperimentConfig = {
      ...config,
      name: 'mnist-pruned-steps',
      dataset: { ...config.dataset, validationFraction: 0.02 },
      pruner: { name: 'median', options: { nStartupTrials: 2, nWarmupSteps: 1 }, reportEvery: 10 },
    };
    expect(await startSearch(reporting, { emit: () => undefined })).toBe('finished');
    const trials = await storedTrials(reporting);
    const pruned = trials.filter((t) => t.state === 'PRUNED');
    expect(trials.filter((t) => t.state === 'COMPLETE').length + pruned.length).toBe(10);
    expect(pruned.length).toBeGreaterThan(0);
    const storage = await openSqliteStorage(reporting.storage, { readonly: true });
    try {
      const experiment = await storage.getExperiment(reporting.name);
      const events = await storage.listEvents(experiment?.id ?? -1, { type: REPORT_EVENT });
      for (const t of pruned) {
        const at = prunedAtOf(t);
        const steps = events.flatMap((e) => (isReportOf(e.payload, t.id) ? [e.payload.report.step] : []));
        // Every 10th step up to the one it was stopped at; stored: the epochs finished before that report.
        expect(steps).toEqual(Array.from({ length: (at?.trainingStep ?? 0) / 10 }, (_, i) => 10 * (i + 1)));
        expect(at?.step).toBe(Math.ceil((at?.trainingStep ?? 0) / 24));
        expect((await storage.listEpochs(t.id)).length).toBe((at?.step ?? 0) - 1);
      }
      expect(pruned.some((t) => (prunedAtOf(t)?.trainingStep ?? 0) % 24 !== 0)).toBe(true); // within an epoch
    } finally {
      await storage.close();
    }
  });
});

function isReportOf(payload: Json, trialId: number): payload is { trialId: number; report: StepReport } {
  return isJsonObject(payload) && payload.trialId === trialId && isJsonObject(payload.report);
}
