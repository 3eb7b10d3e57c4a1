// Successive halving with continuation on a real search (isolated pool, native backend, MNIST,
// SQLite): rung-0 runs stop after epoch 1 of a 3-epoch schedule and save their state; a promotion
// trains epochs 2–3 from it, and its record carries the whole curve. The promoted trial ends exactly
// where one uninterrupted 3-epoch run of its sample with the promoted trial's seed ends.
import { existsSync } from 'node:fs';
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { EpochMetrics, Trial } from '../../src/core/trial.js';
import type { ExperimentConfig } from '../../src/run/config.js';
import { trialStateFile } from '../../src/run/model-store.js';
import { startSearch } from '../../src/run/search.js';
import evaluateTrial from '../../src/run/worker/trial-worker.js';
import { trialTask } from '../../src/run/worker/trial-task.js';
import { eventLog, storedTrials, testConfig } from './helpers.js';

const config: ExperimentConfig = testConfig({
  name: 'asha-continued',
  seed: 3,
  dataset: { name: 'mnist', options: {}, validationFraction: 0.2, subset: 1200 },
  space: {
    name: 'macro',
    options: {
      stem: 'conv3x3',
      stemChannels: 4,
      stageWidths: [4, 8],
      widthMultipliers: ['1'],
      depths: [1],
      expansions: [1, 2],
      kernels: [3],
      strides: [2],
      blocks: ['basic', 'inverted_residual', 'separable'],
      attention: ['none', 'se'],
    },
  },
  strategy: { name: 'random', options: {}, halving: { min: 1, max: 3, eta: 3 } },
  train: { epochs: 3, batchSize: 64 },
  budget: { trials: 8 },
  workers: 1,
});

/** Epoch metrics without their wall times. */
const figures = (epochs: readonly EpochMetrics[] | undefined) => epochs?.map(({ seconds: _s, ...rest }) => rest);

describe('successive halving with continuation on MNIST', () => {
  it('continues promoted trials from their saved state, one curve across rungs, equal to an uninterrupted run', async () => {
    const log = eventLog();
    expect(await startSearch(config, { emit: log.emit })).toBe('finished');
    const trials = await storedTrials(config);
    expect(trials.map((t) => t.state)).toEqual(Array(8).fill('COMPLETE'));
    const byNumber = new Map(trials.map((t) => [t.number, t]));
    const promoted = trials.filter((t) => t.continues !== undefined);
    expect(promoted.length).toBeGreaterThanOrEqual(1);

    for (const t of trials.filter((u) => u.continues === undefined)) {
      expect(t.fidelity).toEqual({ epochs: 1, scheduleEpochs: 3 });
      expect(t.outcome?.epochs.map((e) => e.epoch)).toEqual([1]);
    }
    for (const t of promoted) {
      const parent = byNumber.get(t.continues as number) as Trial;
      expect([parent.key, t.fidelity]).toEqual([t.key, { epochs: 3 }]);
      expect(t.outcome?.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
      // The first epoch is the parent's, carried over, not trained again.
      expect(figures(t.outcome?.epochs.slice(0, 1))).toEqual(figures(parent.outcome?.epochs));
      // A promoted parent's state is spent once its promotion completed; the others' wait for one.
      expect(existsSync(trialStateFile(config, parent.number))).toBe(false);
    }
    const waiting = trials.filter((t) => t.continues === undefined && !promoted.some((p) => p.continues === t.number));
    for (const t of waiting) expect(existsSync(trialStateFile(config, t.number))).toBe(true);
    expect(log.events.some((e) => JSON.stringify(e).includes('left no training state'))).toBe(false);

    // The same sample trained 3 epochs in one run, with the seed of the trial it was introduced by.
    const first = promoted[0] as Trial;
    const parent = byNumber.get(first.continues as number) as Trial;
    const { port1, port2 } = new MessageChannel();
    try {
      const whole = await evaluateTrial({
        payload: trialTask({ ...config, keepModels: 'none' }, { ...parent, fidelity: { epochs: 3 } }),
        port: port1,
        throwIfStopped: () => undefined,
      });
      expect(figures(first.outcome?.epochs)).toEqual(figures(whole.epochs));
      expect(first.outcome?.metrics.validationAccuracy).toBe(whole.metrics.validationAccuracy);
    } finally {
      port1.close();
      port2.close();
    }
  });
});
