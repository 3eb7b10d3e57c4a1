import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/cli/config/loader.js';
import { plannedWorkers } from '../../src/cli/config/workers.js';
import { checkOptions } from '../../src/core/options.js';
import { findStrategy } from '../../src/search/index.js';
import { tempDir, writeConfig } from './helpers.js';

const dir = tempDir();

/** A strategy's options with every default filled, from its registry schema. */
const defaultsOf = (name: string) => checkOptions(findStrategy(name).options, {}).values;

describe('config resolution', () => {
  it('fills every default, resolves registry options and makes paths absolute from the config folder', async () => {
    const file = writeConfig(
      dir,
      'experiments/small.ts',
      `{ name: 'small', dataset: { name: 'cifar10', options: { dir: '../data/cifar' } }, space: { name: 'nb201' }, strategy: { name: 'regularized-evolution' }, budget: { trials: 4 }, storage: '../runs/x.sqlite' }`,
    );
    const config = await loadConfig(file);
    expect(config).toEqual({
      name: 'small',
      seed: 0,
      dataset: {
        name: 'cifar10',
        options: { dir: path.join(dir, 'data/cifar'), recordsPerFile: 10_000 },
        validationFraction: 0.1,
      },
      space: { name: 'nb201', options: { cells: 5, channels: 16 } },
      strategy: { name: 'regularized-evolution', options: defaultsOf('regularized-evolution') },
      train: {},
      objectives: [{ metric: 'validationAccuracy', direction: 'max' }],
      budget: { trials: 4 },
      workers: plannedWorkers(),
      measureLatency: true,
      keepModels: 'all',
      storage: path.join(dir, 'runs/x.sqlite'),
    });
    expect(Object.isFrozen(config) && Object.isFrozen(config.dataset.options)).toBe(true);
  });

  it('lets flags override name, seed and workers; the default storage sits beside the config', async () => {
    const file = writeConfig(
      dir,
      'plain.ts',
      `{ name: 'plain', seed: 3, dataset: { name: 'mnist' }, space: { name: 'nb201' }, strategy: { name: 'random' }, budget: { trials: 1 }, workers: 1 }`,
    );
    const config = await loadConfig(file, { name: 'other', seed: 9, workers: 2 });
    expect([config.name, config.seed, config.workers, config.storage]).toEqual([
      'other',
      9,
      2,
      path.join(dir, 'runs/nas.sqlite'),
    ]);
  });

  it('plans one worker per two cores', () => {
    expect([1, 2, 3, 4, 8].map((cores) => plannedWorkers(cores))).toEqual([1, 1, 1, 2, 4]);
  });
});
