import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import { MIGRATIONS } from '../../src/backend/storage/migrations.js';
import { Db } from '../../src/backend/storage/sqlite-db.js';
import { tempDb } from './helpers.js';
import { BUDGET, stoppedExperiment } from './lease-helpers.js';
import { smoothAccuracy, writeNb201Table } from './table-fixture.js';

const root = path.resolve(import.meta.dirname, '../..');

describe('`nas resume` of a file from before the owner lease', () => {
  it('migrates the version-2 file (keeping a copy) and finishes the experiment at its budget', async () => {
    const db = tempDb();
    await stoppedExperiment(db, {
      benchmark: { table: writeNb201Table((s) => [smoothAccuracy(s)], ['acc']), metric: 'acc' },
    });
    const raw = await Db.open(db, false);
    await raw.exec(
      'ALTER TABLE trials DROP COLUMN continues; DROP TABLE diagnostics; DROP TABLE leases; PRAGMA user_version = 2',
    );
    await raw.close();

    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(root, 'bin/nas.js'), 'resume', 'exp', '--storage', db, '--reporter', 'json'],
      { cwd: root },
    );
    const events = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; status?: string });
    expect(events.at(-1)).toMatchObject({ type: 'experiment-finished', status: 'finished' });
    expect(existsSync(`${db}.v2.bak`)).toBe(true);

    const storage = await openSqliteStorage(db);
    const experiment = (await storage.getExperiment('exp'))!;
    expect((await storage.listTrials(experiment.id, { state: 'COMPLETE' })).length).toBe(BUDGET);
    expect(await storage.readLease(experiment.id)).toBeUndefined();
    await storage.close();
    const check = await Db.open(db, true);
    expect(await check.get('PRAGMA user_version')).toEqual({ user_version: MIGRATIONS.length });
    await check.close();
  });
});
