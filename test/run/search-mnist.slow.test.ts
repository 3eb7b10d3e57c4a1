import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { ExperimentConfig } from '../../src/run/config.js';
import { resumeSearch } from '../../src/run/search.js';
import { eventLog, storedTrials, testConfig } from './helpers.js';

/** A random search of 20 trials on MNIST in a small macro space: 1 epoch on 1,200 images each (about 19 SGD steps: above chance, far from trained). */
const config: ExperimentConfig = testConfig({
  name: 'mnist-random',
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
  train: { epochs: 1, batchSize: 64 },
  budget: { trials: 20 },
  workers: 2,
  measureLatency: true,
});

const trials = () => storedTrials(config);

describe('a real search (isolated pool, native backend, MNIST, SQLite)', () => {
  it('killed with SIGKILL mid-run and resumed, ends with exactly 20 completed trials', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', new URL('./fixtures/search-real.ts', import.meta.url).pathname, JSON.stringify(config)],
      { stdio: 'ignore' },
    );
    const exited = new Promise((resolve) => child.on('exit', resolve));
    for (let i = 0; i < 1200; i++) {
      if ((await trials()).filter((t) => t.state === 'COMPLETE').length >= 4) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    child.kill('SIGKILL');
    await exited;
    const before = await trials();
    const completeBefore = before.filter((t) => t.state === 'COMPLETE');
    expect(completeBefore.length).toBeGreaterThanOrEqual(4);
    expect(before.some((t) => t.state === 'RUNNING')).toBe(true);

    const log = eventLog();
    expect(await resumeSearch(config.storage, config.name, { emit: log.emit })).toBe('finished');
    const after = await trials();
    const complete = after.filter((t) => t.state === 'COMPLETE');
    expect(complete).toHaveLength(20);
    expect(new Set(complete.map((t) => t.key)).size).toBe(20);
    for (const t of completeBefore) expect(after.find((a) => a.id === t.id)).toEqual(t);
    expect(after.filter((t) => t.state === 'FAILED').every((t) => t.reason === 'interrupted')).toBe(true);
    const accuracies = complete.map((t) => t.outcome?.metrics.validationAccuracy ?? Number.NaN);
    expect(accuracies.every((a) => a >= 0 && a <= 1)).toBe(true);
    expect(Math.max(...accuracies)).toBeGreaterThan(0.2);
    for (const t of complete) {
      expect(t.outcome?.cost.measuredLatencyMs).toBeGreaterThan(0);
      expect(t.outcome?.epochs).toHaveLength(1);
    }
    expect(log.events.some((e) => e.type === 'trial-progress')).toBe(true);
  });
});
