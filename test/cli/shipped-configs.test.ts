import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/cli/config/loader.js';
import { ONE_SHOT_STRATEGIES, STRATEGIES } from '../../src/search/index.js';
import { SPACES } from '../../src/space/spaces/index.js';
import { ROOT } from './helpers.js';

const shipped = [
  'nas.config.ts',
  ...fs
    .readdirSync(path.join(ROOT, 'experiments'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `experiments/${f}`),
];

describe('shipped experiments', () => {
  it('ship the default config and the seven examples', () => {
    expect(shipped.sort()).toEqual(
      [
        'experiments/cifar10.ts',
        'experiments/darts-oneshot.ts',
        'experiments/fashion-darts.ts',
        'experiments/mnist-diagnostics.ts',
        'experiments/mnist-evolution.ts',
        'experiments/mnist-pareto.ts',
        'experiments/nb201-table.ts',
        'nas.config.ts',
      ].sort(),
    );
  });

  it.each(shipped)('%s loads (TypeScript, `import { defineConfig } from "nas"`) and validates', async (file) => {
    const config = await loadConfig(path.join(ROOT, file));
    expect([...STRATEGIES, ...ONE_SHOT_STRATEGIES].map((s) => s.name)).toContain(config.strategy.name);
    expect(SPACES.map((s) => s.name)).toContain(config.space.name);
    // One storage file for all of them, so that `nas ls` lists every experiment.
    expect(config.storage).toBe(path.join(ROOT, 'runs/nas.sqlite'));
  });

  it('names every experiment differently', async () => {
    const names = await Promise.all(shipped.map(async (f) => (await loadConfig(path.join(ROOT, f))).name));
    expect(new Set(names).size).toBe(names.length);
  });
});
