import { describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import type { ExperimentConfig } from '../../src/run/config.js';
import { startSearch } from '../../src/run/search.js';
import { createSpace } from '../../src/space/spaces/index.js';
import { eventLog, testConfig } from '../run/helpers.js';

/** A tiny macro space: two stages, a handful of choices each (small nets that train in seconds on the CPU). */
const macro = {
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
};

const config = (strategy: ExperimentConfig['strategy']): ExperimentConfig =>
  testConfig({
    name: strategy.name,
    dataset: { name: 'mnist', options: {}, validationFraction: 0.2, subset: 600 },
    space: { name: 'macro', options: macro },
    strategy,
    train: { epochs: 1, batchSize: 64 },
    budget: { trials: 6 },
    workers: 2,
  });

async function record(c: ExperimentConfig) {
  const storage = await openSqliteStorage(c.storage);
  try {
    const experiment = await storage.getExperiment(c.name);
    const id = experiment?.id ?? -1;
    return {
      trials: await storage.listTrials(id),
      snapshot: (await storage.latestStrategyState(id))?.state as { strategy: Record<string, unknown> } | undefined,
    };
  } finally {
    await storage.close();
  }
}

describe('strategies driving real searches (isolated pool, native backend, MNIST subset, macro space)', () => {
  it('REINFORCE: six trained trials, a controller update, its weights in the stored snapshot', async () => {
    const c = config({ name: 'reinforce', options: { batchSize: 2 } });
    const log = eventLog();
    expect(await startSearch(c, { emit: log.emit })).toBe('finished');
    const { trials, snapshot } = await record(c);
    expect(trials.filter((t) => t.state === 'COMPLETE')).toHaveLength(6);
    expect(new Set(trials.map((t) => t.key)).size).toBe(6);
    const accuracies = trials.map((t) => t.outcome?.metrics.validationAccuracy ?? Number.NaN);
    expect(accuracies.every((a) => a >= 0 && a <= 1)).toBe(true);
    expect(Math.max(...accuracies)).toBeGreaterThan(0.15);
    const state = snapshot?.strategy as { updates: number; weights: number[][]; baseline: number };
    expect(state.updates).toBeGreaterThanOrEqual(1);
    expect(state.weights.every((w) => w.every(Number.isFinite))).toBe(true);
    expect(state.baseline).toBeGreaterThan(0);
  });

  it('regularized evolution: a random population of 3, then mutations of its members', async () => {
    const c = config({ name: 'regularized-evolution', options: { populationSize: 3, sampleSize: 2 } });
    expect(await startSearch(c, { emit: () => undefined })).toBe('finished');
    const { trials } = await record(c);
    expect(trials.filter((t) => t.state === 'COMPLETE')).toHaveLength(6);
    const space = createSpace('macro', macro);
    const near = (a: unknown, b: unknown) =>
      space.neighbours(a as never).some((n) => space.key(n) === space.key(b as never));
    for (const child of trials.slice(3))
      expect(trials.filter((t) => t.number < child.number).some((p) => near(p.sample, child.sample))).toBe(true);
  });
});
