import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import type { Trial } from '../../src/core/trial.js';
import { tempDir, writeConfig } from '../cli/helpers.js';
import { runNas, type Moment } from './kill-runner.js';
import { smoothAccuracy, writeNb201Table } from './table-fixture.js';

// A search SIGKILLed at a chosen point of its writes (fixtures/pause-points.cjs) and resumed with
// `nas resume` proposes exactly what an uninterrupted run proposes. Regularized evolution on one
// worker learns from every result, so a proposal lost, repeated or made from a stale snapshot shows.
const dir = tempDir('nas-exact-');
let config = '';
let reference: string[] = [];

async function trials(storage: string, name: string): Promise<readonly Trial[]> {
  const s = await openSqliteStorage(storage, { readonly: true });
  try {
    return await s.listTrials((await s.getExperiment(name))?.id ?? -1);
  } finally {
    await s.close();
  }
}

const proposals = (all: readonly Trial[]) => all.filter((t) => t.retryOf === undefined).map((t) => t.key);

/** Runs the config as experiment `name`, killing it at each of `moments` in turn and resuming; returns its trials. */
async function killedAt(name: string, moments: readonly Moment[]): Promise<readonly Trial[]> {
  const storage = path.join(dir, 'exact.sqlite');
  const first = ['search', config, '--name', name, '--reporter', 'json'];
  const again = ['resume', name, '--storage', storage, '--reporter', 'json'];
  for (const [i, moment] of moments.entries()) {
    const run = await runNas(i === 0 ? first : again, { tmp: dir, moment });
    expect(run.killed, run.stderr).toBe(true);
  }
  const end = await runNas(again, { tmp: dir });
  expect(end.code, end.stderr).toBe(0);
  return trials(storage, name);
}

beforeAll(async () => {
  const table = writeNb201Table((s) => [smoothAccuracy(s)], ['acc']);
  config = writeConfig(
    dir,
    'exact.ts',
    `{ name: 'reference', seed: 4, dataset: { name: 'synthetic', options: { height: 32, width: 32, channels: 3 } }, space: { name: 'nb201' },
       strategy: { name: 'regularized-evolution', options: { populationSize: 4, sampleSize: 2 } }, benchmark: { table: ${JSON.stringify(table)}, metric: 'acc' },
       objectives: [{ metric: 'acc', direction: 'max' }], budget: { trials: 12 }, workers: 1, storage: './exact.sqlite' }`,
  );
  const run = await runNas(['search', config, '--reporter', 'json'], { tmp: dir });
  expect(run.code, run.stderr).toBe(0);
  reference = proposals(await trials(path.join(dir, 'exact.sqlite'), 'reference'));
  expect(reference).toHaveLength(12);
}, 60_000);

describe('a search SIGKILLed inside its writes resumes exactly', () => {
  it('killed after trial #6 was recorded, before anything else: it is run again once, and the proposals go on as uninterrupted', async () => {
    const all = await killedAt('recorded', [{ kind: 'pause', point: 'trial-recorded', occurrence: 7 }]);
    expect(all.find((t) => t.number === 6)).toMatchObject({ state: 'FAILED', reason: 'interrupted' });
    expect(all.filter((t) => t.retryOf === 6).map((t) => t.state)).toEqual(['COMPLETE']);
    expect(proposals(all)).toEqual(reference);
  });

  it('killed after the snapshot that holds proposal #6, before its record: the resume runs it as #6', async () => {
    const all = await killedAt('unrecorded', [{ kind: 'pause', point: 'trial-insert', occurrence: 7 }]);
    expect(all.filter((t) => t.state === 'FAILED')).toEqual([]);
    expect(all.map((t) => t.number)).toEqual([...Array(12).keys()]);
    expect(proposals(all)).toEqual(reference);
  });

  it('a re-run killed in turn is run again, so no proposed architecture goes unevaluated', async () => {
    const all = await killedAt('twice', [
      { kind: 'pause', point: 'trial-recorded', occurrence: 7 },
      { kind: 'pause', point: 'finish-write', occurrence: 1 },
    ]);
    expect(all.find((t) => t.number === 6)).toMatchObject({ state: 'FAILED', reason: 'interrupted' });
    expect(all.find((t) => t.number === 7)).toMatchObject({ state: 'FAILED', reason: 'interrupted', retryOf: 6 });
    expect(all.find((t) => t.retryOf === 7)?.state).toBe('COMPLETE');
    expect(all.filter((t) => t.state === 'COMPLETE')).toHaveLength(12);
    expect(proposals(all)).toEqual(reference);
  });
});
