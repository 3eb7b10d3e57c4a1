// A seeded macro search whose config searches groups, drop-path, the head's dropout and BatchNorm
// momentum and epsilon, run for real (config file, isolated pool, MNIST, SQLite) on each engine:
// the same seed proposes the same architectures on both, every trial completes on the engine it asked
// for (the compiled one without falling back), and the proposals use every new decision.
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/cli/config/loader.js';
import { startSearch } from '../../src/run/search.js';
import { createSpace } from '../../src/space/spaces/index.js';
import type { MacroSample } from '../../src/space/spaces/macro/index.js';
import { tempDir, writeConfig } from '../cli/helpers.js';
import { storedTrials } from './helpers.js';

const TRIALS = 6;
const dir = tempDir('nas-macro-regularization-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The config as a user writes it; `engine` is the only difference between the two runs. */
const configFile = (engine: 'compiled' | 'eager'): string =>
  writeConfig(
    dir,
    `${engine}.ts`,
    `{
  name: 'macro-regularization-${engine}',
  seed: 11,
  dataset: { name: 'mnist', subset: 600, validationFraction: 0.25 },
  space: {
    name: 'macro',
    options: {
      stem: 'conv3x3', stemChannels: 8, stageWidths: [8, 16], widthMultipliers: ['1'], depths: [1, 2], strides: [1, 2],
      blocks: ['basic', 'bottleneck', 'inverted_residual'], kernels: [3], expansions: [2], attention: ['none'],
      groups: [1, 2, 4], dropPathRates: [0, 0.2], dropoutRates: [0, 0.3], bnMomenta: [0.9, 0.99], bnEpsilons: [1e-5, 1e-3],
    },
  },
  strategy: { name: 'random' },
  train: { epochs: 1, batchSize: 50, engine: '${engine}' },
  budget: { trials: ${TRIALS} },
  workers: 1,
  measureLatency: false,
  storage: './runs/nas.sqlite',
}`,
  );

describe('a macro search over groups, drop-path, dropout and BatchNorm settings', () => {
  it('trains on both engines: the same proposals, every trial complete on its engine', async () => {
    const runs = [];
    for (const engine of ['compiled', 'eager'] as const) {
      const config = await loadConfig(configFile(engine));
      expect(await startSearch(config, { emit: () => undefined })).toBe('finished');
      runs.push({ engine, config, trials: await storedTrials(config) });
    }
    const [compiled, eager] = runs as [(typeof runs)[0], (typeof runs)[0]];
    for (const run of runs) {
      expect(run.trials.map((t) => t.state)).toEqual(Array(TRIALS).fill('COMPLETE'));
      expect(run.trials.map((t) => t.outcome?.engine?.name)).toEqual(Array(TRIALS).fill(run.engine));
      expect(run.trials.every((t) => t.outcome?.engine?.fallback === undefined)).toBe(true);
      for (const t of run.trials) {
        const accuracy = t.outcome?.metrics.validationAccuracy ?? Number.NaN;
        expect(accuracy >= 0 && accuracy <= 1, `trial ${t.number}: validation accuracy ${accuracy}`).toBe(true);
        expect(Number.isFinite(t.outcome?.epochs[0]?.trainLoss)).toBe(true);
      }
    }
    expect(eager.trials.map((t) => t.key)).toEqual(compiled.trials.map((t) => t.key));

    // The proposals use what this config searches: grouped bottlenecks, drop-path, dropout, both BN settings.
    const space = createSpace('macro', compiled.config.space.options);
    const specs = compiled.trials.map((t) => space.freeze(t.sample as MacroSample));
    const samples = compiled.trials.map((t) => t.sample as MacroSample);
    expect(specs.some((s) => s.nodes.some((n) => n.op === 'bottleneck' && (n.groups ?? 1) > 1))).toBe(true);
    expect(specs.some((s) => s.nodes.some((n) => 'dropPath' in n))).toBe(true);
    expect(specs.some((s) => s.nodes.some((n) => n.op === 'dropout'))).toBe(true);
    expect(samples.some((s) => s.bnMomentum === 0.99) && samples.some((s) => s.bnEpsilon === 1e-3)).toBe(true);
  });
});
