import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import type { Trial } from '../../src/core/trial.js';
import { createSpace } from '../../src/space/spaces/index.js';
import { sampleAtBenchmarkIndex } from '../../src/space/spaces/nb201/index.js';
import { tempDir, writeConfig } from '../cli/helpers.js';
import { runNas } from './kill-runner.js';
import { smoothAccuracy, writeNb201Table } from './table-fixture.js';

// warmStart on table-answered searches: `seed-history` puts an earlier experiment's complete trials
// in the history the strategy reads (not in this experiment), `reuse-results` also answers a trial of
// the same key and recipe from storage instead of evaluating it.
const dir = tempDir('nas-warm-');
const storage = path.join(dir, 'warm.sqlite');
const space = createSpace('nb201', {});
let table = '';
let source: readonly Trial[] = [];

type Settings = { strategy?: string; trials?: number; seed?: number; space?: string; extra?: string };

function config(name: string, s: Settings = {}): string {
  return writeConfig(
    dir,
    `${name}.ts`,
    `{ name: ${JSON.stringify(name)}, seed: ${s.seed ?? 4}, dataset: { name: 'synthetic', options: { height: 32, width: 32, channels: 3 } }, space: ${s.space ?? "{ name: 'nb201' }"},
       strategy: ${s.strategy ?? "{ name: 'random' }"}, benchmark: { table: ${JSON.stringify(table)}, metric: 'acc' },
       objectives: [{ metric: 'acc', direction: 'max' }], budget: { trials: ${s.trials ?? 5} }, workers: 1, storage: ${JSON.stringify(storage)}${s.extra ?? ''} }`,
  );
}

async function trials(name: string): Promise<readonly Trial[] | undefined> {
  const s = await openSqliteStorage(storage, { readonly: true });
  try {
    const experiment = await s.getExperiment(name);
    return experiment === undefined
      ? undefined
      : [...(await s.listTrials(experiment.id))].sort((a, b) => a.number - b.number);
  } finally {
    await s.close();
  }
}

async function search(name: string, s: Settings = {}, args: readonly string[] = []) {
  return runNas(['search', config(name, s), '--reporter', 'json', ...args], { tmp: dir });
}

const acc = (t: Trial | undefined) => t?.outcome?.metrics.acc;

beforeAll(async () => {
  table = writeNb201Table((s) => [smoothAccuracy(s)], ['acc']);
  const run = await search('source');
  expect(run.code, run.stderr).toBe(0);
  source = (await trials('source')) ?? [];
  expect(source.map((t) => t.state)).toEqual(Array(5).fill('COMPLETE'));
}, 60_000);

describe("warmStart mode 'seed-history'", () => {
  it("a warm-started evolution's first proposal is a mutation of the seeded best, and the seeded trials are not copied", async () => {
    const evolution = "{ name: 'regularized-evolution', options: { populationSize: 5, sampleSize: 5 } }";
    const run = await search('seeded', {
      strategy: evolution,
      trials: 4,
      extra: ", warmStart: { from: ['source'], mode: 'seed-history' }",
    });
    expect(run.code, run.stderr).toBe(0);
    const all = (await trials('seeded')) ?? [];
    expect(all.map((t) => t.number)).toEqual([0, 1, 2, 3]);
    const best = [...source].sort((a, b) => (acc(b) ?? 0) - (acc(a) ?? 0))[0] as Trial;
    expect(space.neighbours(best.sample).map((s) => space.key(s))).toContain(all[0]?.key);
    const seeded = new Set(source.map((t) => t.key));
    expect(all.filter((t) => seeded.has(t.key))).toEqual([]); // evolution never proposes what the history holds
    expect(all.every((t) => t.message === undefined)).toBe(true);
  }, 30_000);

  it('refuses an experiment that is missing or searched another space, naming it and the difference; nothing is created', async () => {
    const missing = await search('missing', {
      extra: ", warmStart: { from: ['source', 'nope'], mode: 'seed-history' }",
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('warmStart.from[1]: no experiment "nope" in this storage');
    expect(await trials('missing')).toBeUndefined();
    const other = await search('other', { space: "{ name: 'nb201', options: { channels: 8 } }" });
    expect(other.code, other.stderr).toBe(0);
    const different = await search('different', { extra: ", warmStart: { from: ['other'], mode: 'seed-history' }" });
    expect(different.code).toBe(1);
    expect(different.stderr).toContain(
      'warmStart.from[0]: experiment "other" searched space "nb201" {"cells":5,"channels":8}, this experiment searches "nb201" {"cells":5,"channels":16}',
    );
    expect(await trials('different')).toBeUndefined();
    const halving = await search('halving', {
      strategy: "{ name: 'random', halving: { min: 1, max: 9 } }",
      extra: ", warmStart: { from: ['source'], mode: 'seed-history' }",
    });
    expect(halving.code).toBe(1);
    expect(halving.stderr).toContain('warmStart: not with strategy.halving (its rungs promote its own trials)');
    expect(await trials('halving')).toBeUndefined();
  }, 30_000);
});

describe("warmStart mode 'reuse-results'", () => {
  /** Two of the source's samples and one it never tried, enqueued (the strategies never propose a key of the history). */
  function enqueueFile(): string {
    const fresh = sampleAtBenchmarkIndex(7777);
    expect(source.map((t) => t.key)).not.toContain(space.key(fresh));
    const file = path.join(dir, 'reuse.json');
    fs.writeFileSync(file, JSON.stringify([source[3]?.sample, fresh, source[1]?.sample]));
    return file;
  }

  it('answers exactly the trials whose key matches a finished trial of the same recipe, from storage, and says so', async () => {
    const run = await search('reuse', { extra: ", warmStart: { from: ['source'], mode: 'reuse-results' }" }, [
      '--enqueue',
      enqueueFile(),
    ]);
    expect(run.code, run.stderr).toBe(0);
    const all = (await trials('reuse')) ?? [];
    expect(all.map((t) => t.state)).toEqual(Array(5).fill('COMPLETE'));
    expect(all.map((t) => t.message ?? null)).toEqual([
      `reused from source #${source[3]?.number}`,
      null,
      `reused from source #${source[1]?.number}`,
      null,
      null,
    ]);
    expect(all[0]?.outcome).toEqual(source[3]?.outcome);
    expect(all[2]?.outcome).toEqual(source[1]?.outcome);
    const show = await runNas(['show', 'reuse', '--storage', storage], { tmp: dir });
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain(`  #0: reused from source #${source[3]?.number}`);
    expect(show.stdout).toContain(`  #2: reused from source #${source[1]?.number}`);
  }, 30_000);

  it('killed after its first reused trial and resumed: the same trials, reused and evaluated, as uninterrupted', async () => {
    const extra = ", warmStart: { from: ['source'], mode: 'reuse-results' }";
    const file = config('reuse-killed', { extra });
    const args = ['--enqueue', enqueueFile(), '--reporter', 'json'];
    const moment = { kind: 'pause', point: 'trial-insert', occurrence: 2 } as const;
    const killed = await runNas(['search', file, ...args], { tmp: dir, moment });
    expect(killed.killed, killed.stderr).toBe(true);
    const resumed = await runNas(['resume', 'reuse-killed', '--storage', storage, '--reporter', 'json'], { tmp: dir });
    expect(resumed.code, resumed.stderr).toBe(0);
    const shown = (all: readonly Trial[] | undefined) => (all ?? []).map((t) => [t.key, t.state, t.message ?? null]);
    expect(shown(await trials('reuse-killed'))).toEqual(shown(await trials('reuse')));
  }, 30_000);

  it('a recipe difference (the seed, or the training settings) disables reuse: every trial is evaluated', async () => {
    for (const [name, settings] of [
      ['other-seed', { seed: 5 }],
      ['other-train', { extra: ', train: { epochs: 2 }' }],
    ] as const) {
      const extra = `${'extra' in settings ? settings.extra : ''}, warmStart: { from: ['source'], mode: 'reuse-results' }`;
      const run = await search(name, { ...settings, extra }, ['--enqueue', enqueueFile()]);
      expect(run.code, run.stderr).toBe(0);
      const all = (await trials(name)) ?? [];
      expect(all.map((t) => t.state)).toEqual(Array(5).fill('COMPLETE'));
      expect(all.map((t) => t.message ?? null)).toEqual(Array(5).fill(null));
    }
  }, 30_000);
});
