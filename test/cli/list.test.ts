import { describe, expect, it } from 'vitest';
import type { EntryJson } from '../../src/cli/format/registry.js';
import { DATASETS } from '../../src/backend/data/index.js';
import { ONE_SHOT_STRATEGIES, STRATEGIES, findStrategy } from '../../src/search/index.js';
import { listOps } from '../../src/space/index.js';
import { SPACES } from '../../src/space/spaces/index.js';
import { runCli } from './helpers.js';

const registries = { spaces: SPACES, strategies: [...STRATEGIES, ...ONE_SHOT_STRATEGIES], datasets: DATASETS } as const;

describe('nas list', () => {
  it.each(Object.keys(registries) as (keyof typeof registries)[])(
    '%s --json: every registry entry with its options and defaults',
    async (what) => {
      const run = await runCli(['list', what, '--json']);
      expect(run.code).toBe(0);
      const listed = JSON.parse(run.stdout) as EntryJson[];
      expect(listed.map((e) => [e.name, e.description])).toEqual(registries[what].map((e) => [e.name, e.description]));
      listed.forEach((entry, i) => {
        const schema = registries[what][i]?.options ?? {};
        expect(entry.options.map((o) => [o.name, o.type, o.default, o.required])).toEqual(
          Object.entries(schema).map(([name, spec]) => [
            name,
            spec.type,
            spec.default ?? null,
            spec.default === undefined,
          ]),
        );
      });
    },
  );

  it('ops: the op catalog', async () => {
    const run = await runCli(['list', 'ops', '--json']);
    expect(JSON.parse(run.stdout)).toEqual(listOps());
  });

  it('prints entries and their options as text', async () => {
    const run = await runCli(['list', 'strategies']);
    expect(run.code).toBe(0);
    for (const s of [...STRATEGIES, ...ONE_SHOT_STRATEGIES])
      expect(run.stdout).toContain(`${s.name} — ${s.description}\n`);
    const evolution = findStrategy('regularized-evolution').options;
    const sampleSize = evolution.sampleSize as { default: number; description: string };
    expect(run.stdout).toContain(
      `    sampleSize      integer ≥ ${(sampleSize as { min?: number }).min}, default ${sampleSize.default}\n                    ${sampleSize.description}\n`,
    );
    expect(run.stdout).toMatch(/\n {4}selection +enum, default "\w+"\n.*\n {4} +choices: \w+(, \w+)+\n/);
  });
});
