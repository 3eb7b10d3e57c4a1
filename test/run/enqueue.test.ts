import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import type { Json } from '../../src/core/arch.js';
import type { Trial } from '../../src/core/trial.js';
import { checkEnqueued, enqueuedSamples } from '../../src/run/enqueue.js';
import { createSpace } from '../../src/space/spaces/index.js';
import { sampleAtBenchmarkIndex, type Nb201Sample } from '../../src/space/spaces/nb201/index.js';
import { tempDir, writeConfig } from '../cli/helpers.js';
import { runNas, type Moment } from './kill-runner.js';
import { smoothAccuracy, writeNb201Table } from './table-fixture.js';

// `nas search --enqueue FILE` on a table-answered regularized evolution (population 3, tournament 3):
// the enqueued samples run first, count against the budget, are learned from like any trial, and a
// killed search resumes without running one twice.
const dir = tempDir('nas-enqueue-');
const storage = path.join(dir, 'enqueue.sqlite');
const space = createSpace('nb201', {});
const enqueued: Nb201Sample[] = [10, 2000, 5000].map((i) => sampleAtBenchmarkIndex(i));
const enqueuedKeys = enqueued.map((s) => space.key(s));
let table = '';
let config = '';
let listFile = '';
let reference: string[] = [];

function evolutionConfig(name: string, trials: number, extra = ''): string {
  return writeConfig(
    dir,
    `${name}.ts`,
    `{ name: ${JSON.stringify(name)}, seed: 4, dataset: { name: 'synthetic', options: { height: 32, width: 32, channels: 3 } }, space: { name: 'nb201' },
       strategy: { name: 'regularized-evolution', options: { populationSize: 3, sampleSize: 3 } }, benchmark: { table: ${JSON.stringify(table)}, metric: 'acc' },
       objectives: [{ metric: 'acc', direction: 'max' }], budget: { trials: ${trials} }, workers: 1, storage: ${JSON.stringify(storage)}${extra} }`,
  );
}

async function trials(name: string): Promise<readonly Trial[] | undefined> {
  const s = await openSqliteStorage(storage, { readonly: true });
  try {
    const experiment = await s.getExperiment(name);
    return experiment === undefined ? undefined : await s.listTrials(experiment.id);
  } finally {
    await s.close();
  }
}

const byNumber = (all: readonly Trial[] | undefined) => [...(all ?? [])].sort((a, b) => a.number - b.number);
const proposals = (all: readonly Trial[] | undefined) =>
  byNumber(all)
    .filter((t) => t.retryOf === undefined)
    .map((t) => t.key);

function writeJson(name: string, value: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(value));
  return file;
}

async function search(name: string, args: readonly string[] = [], moment?: Moment) {
  return runNas(['search', config, '--name', name, '--reporter', 'json', ...args], {
    tmp: dir,
    ...(moment === undefined ? {} : { moment }),
  });
}

beforeAll(async () => {
  table = writeNb201Table((s) => [smoothAccuracy(s)], ['acc']);
  config = evolutionConfig('enqueue', 6);
  listFile = writeJson('list.json', enqueued);
  const run = await search('reference', ['--enqueue', listFile]);
  expect(run.code, run.stderr).toBe(0);
  reference = proposals(await trials('reference'));
}, 60_000);

describe('nas search --enqueue FILE', () => {
  it('evaluates the enqueued samples first, in order, within the budget, and evolution breeds from them', async () => {
    const all = byNumber(await trials('reference'));
    expect(all.map((t) => t.state)).toEqual(Array(6).fill('COMPLETE'));
    expect(all.slice(0, 3).map((t) => t.key)).toEqual(enqueuedKeys);
    // Population 3 and tournament 3 after three enqueued results: the first proposal is a mutant of the best of them.
    const best = [...enqueued].sort((a, b) => smoothAccuracy(b) - smoothAccuracy(a))[0] as Nb201Sample;
    const neighbours = space.neighbours(best).map((s) => space.key(s));
    expect(neighbours).toContain(all[3]?.key);
  });

  it("takes the trials of `nas show --json`, in the show's order", async () => {
    const show = await runNas(['show', 'reference', '--json', '--storage', storage], { tmp: dir });
    expect(show.code, show.stderr).toBe(0);
    const shown = JSON.parse(show.stdout) as { trials: { key: string }[] };
    const file = writeJson('show.json', shown);
    const run = await search('from-show', ['--enqueue', file]);
    expect(run.code, run.stderr).toBe(0);
    expect(proposals(await trials('from-show'))).toEqual(shown.trials.map((t) => t.key));
  }, 30_000);

  it('refuses a file with an entry that is not a sample of the space, naming the file, the entry and the problem; nothing runs', async () => {
    const bad = writeJson('bad.json', [{ sample: enqueued[0] }, { ...enqueued[1], node2: ['conv_9x9', 'none'] }]);
    const run = await search('refused', ['--enqueue', bad]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${bad}: entry 1 is not a sample of space "nb201": `);
    expect(run.stderr).toContain('conv_9x9');
    expect(await trials('refused')).toBeUndefined();
  });

  it('accepts the config form, `enqueue: [...]`, and checks it the same way', async () => {
    config = evolutionConfig('config-form', 6, `, enqueue: ${JSON.stringify(enqueued)}`);
    const run = await search('config-form');
    expect(run.code, run.stderr).toBe(0);
    expect(proposals(await trials('config-form'))).toEqual(reference);
    config = evolutionConfig('config-bad', 6, `, enqueue: [${JSON.stringify(enqueued[0])}, 'nope']`);
    const bad = await search('config-bad');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`the config's enqueue: entry 1 is not a sample of space "nb201"`);
    expect(await trials('config-bad')).toBeUndefined();
    config = evolutionConfig('enqueue', 6);
  }, 30_000);

  for (const moment of [
    { kind: 'pause', point: 'trial-recorded', occurrence: 2 },
    { kind: 'pause', point: 'trial-insert', occurrence: 3 },
    { kind: 'pause', point: 'trial-insert', occurrence: 4 },
  ] as const) {
    it(`killed at ${moment.point} #${moment.occurrence} and resumed: no enqueued sample runs twice, the proposals go on as uninterrupted`, async () => {
      const name = `killed-${moment.point}-${moment.occurrence}`;
      const killed = await search(name, ['--enqueue', listFile], moment);
      expect(killed.killed, killed.stderr).toBe(true);
      const resumed = await runNas(['resume', name, '--storage', storage, '--reporter', 'json'], { tmp: dir });
      expect(resumed.code, resumed.stderr).toBe(0);
      const all = await trials(name);
      expect(proposals(all)).toEqual(reference);
      expect((all ?? []).filter((t) => t.state === 'COMPLETE')).toHaveLength(6);
    }, 30_000);
  }
});

describe('the enqueue file', () => {
  const a = enqueued[0] as Json;
  const b = enqueued[1] as Json;

  it('is a list of samples, of { sample } objects, or a `nas show --json` object', () => {
    expect(enqueuedSamples([a, b], 'f.json')).toEqual([a, b]);
    expect(enqueuedSamples([{ sample: a }, { sample: b, key: 'x' }], 'f.json')).toEqual([a, b]);
    expect(enqueuedSamples({ storage: 's', trials: [{ sample: b }, { sample: a }] }, 'f.json')).toEqual([b, a]);
  });

  it('is refused when it is none of these, with the file named', () => {
    expect(() => enqueuedSamples({ samples: [a] }, 'f.json')).toThrow(
      'f.json: expected a JSON list of samples, a list of { "sample": … } objects, or the output of `nas show <experiment> --json`, got object',
    );
    expect(() => checkEnqueued(space, [a, { node1: ['none'] }], 'f.json')).toThrow(
      /^f\.json: entry 1 is not a sample of space "nb201": /,
    );
  });
});
