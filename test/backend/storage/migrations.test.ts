import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { UserError } from '../../../src/core/errors.js';
import { StorageError, openSqliteStorage } from '../../../src/backend/storage/index.js';
import { MIGRATIONS, type Migration } from '../../../src/backend/storage/migrations.js';
import { Db } from '../../../src/backend/storage/sqlite-db.js';
import { rejection } from './contract.js';
import { tempDir } from './temp.js';

const dir = tempDir();

/** The schema history of a future nas: today's, plus a second step. */
const withNotes: Migration[] = [
  ...MIGRATIONS,
  {
    version: MIGRATIONS.length + 1,
    name: 'experiment notes',
    sql: "ALTER TABLE experiments ADD COLUMN note TEXT NOT NULL DEFAULT 'none'",
    postgres: "ALTER TABLE experiments ADD COLUMN note TEXT NOT NULL DEFAULT 'none'",
  },
];

async function query<T>(file: string, sql: string): Promise<T[]> {
  const db = await Db.open(file, true);
  try {
    return await db.all<T>(sql);
  } finally {
    await db.close();
  }
}

/** A database written by today's nas, with one experiment in it. */
async function todaysFile(name: string): Promise<string> {
  const file = path.join(dir, name);
  const storage = await openSqliteStorage(file);
  await storage.createExperiment({ name: 'kept', config: { a: 1 }, seed: 9 });
  await storage.close();
  return file;
}

describe('schema migrations', () => {
  it('migrates an older file in one step, keeps its data, and keeps a copy of the old file', async () => {
    const file = await todaysFile('older.db');
    const storage = await openSqliteStorage(file, { migrations: withNotes });
    expect(await storage.getExperiment('kept')).toMatchObject({ name: 'kept', config: { a: 1 }, seed: 9 });
    await storage.createExperiment({ name: 'new', config: {}, seed: 1 });
    await storage.close();

    expect(await query(file, 'PRAGMA user_version')).toEqual([{ user_version: withNotes.length }]);
    expect(await query(file, 'SELECT name, note FROM experiments ORDER BY id')).toEqual([
      { name: 'kept', note: 'none' },
      { name: 'new', note: 'none' },
    ]);
    const backup = `${file}.v${MIGRATIONS.length}.bak`;
    expect(await query(backup, 'PRAGMA user_version')).toEqual([{ user_version: MIGRATIONS.length }]);
    expect(await query(backup, 'SELECT name FROM experiments')).toEqual([{ name: 'kept' }]);
  });

  it('refuses a file from a newer nas, naming both versions and the upgrade', async () => {
    const file = path.join(dir, 'newer.db');
    await (await openSqliteStorage(file, { migrations: withNotes })).close();
    for (const readonly of [false, true]) {
      const error = await rejection(openSqliteStorage(file, { readonly }), StorageError, 'STORAGE_VERSION');
      expect(error.message).toBe(
        `${file} has schema version ${withNotes.length}, newer than this nas knows (${MIGRATIONS.length})`,
      );
      expect((error as UserError).hint).toContain('upgrade nas');
      expect((error as UserError).hint).toContain('git pull && npm install');
    }
  });

  it('does not migrate through a read-only open: it says how to migrate instead', async () => {
    const file = await todaysFile('older-readonly.db');
    const error = await rejection(
      openSqliteStorage(file, { readonly: true, migrations: withNotes }),
      StorageError,
      'STORAGE_VERSION',
    );
    expect(error.message).toContain(
      `schema version ${MIGRATIONS.length} and this nas reads version ${withNotes.length}`,
    );
    expect((error as UserError).hint).toContain('open it once for writing');
    expect(await query(file, 'PRAGMA user_version')).toEqual([{ user_version: MIGRATIONS.length }]);
  });

  it('leaves the file as it was when a migration fails half-way', async () => {
    const file = await todaysFile('failing.db');
    const broken: Migration[] = [
      ...MIGRATIONS,
      {
        version: MIGRATIONS.length + 1,
        name: 'half done',
        sql: 'ALTER TABLE experiments ADD COLUMN x TEXT; UPDATE experiments SET x = 1; SELECT * FROM missing_table',
        postgres: '',
      }, // SQLite only
    ];
    await expect(openSqliteStorage(file, { migrations: broken })).rejects.toThrow(
      `migration ${broken.length} (half done) of ${file} failed: SQLITE_ERROR: no such table: missing_table; the file is unchanged`,
    );
    expect(await query(file, 'PRAGMA user_version')).toEqual([{ user_version: MIGRATIONS.length }]);
    expect((await query<{ name: string }>(file, 'PRAGMA table_info(experiments)')).map((c) => c.name)).not.toContain(
      'x',
    );
    const storage = await openSqliteStorage(file, { migrations: withNotes });
    expect((await storage.getExperiment('kept'))?.seed).toBe(9);
    await storage.close();
  });

  it('refuses a history whose versions are not 1, 2, 3, ...', async () => {
    const skipping = [
      ...MIGRATIONS,
      { version: MIGRATIONS.length + 2, name: 'skips one', sql: 'SELECT 1', postgres: 'SELECT 1' },
    ];
    await expect(openSqliteStorage(path.join(dir, 'skip.db'), { migrations: skipping })).rejects.toThrow(
      'versions are 1, 2, 3',
    );
    expect(existsSync(`${path.join(dir, 'skip.db')}.v0.bak`)).toBe(false);
  });
});

describe('migration 3 (owner leases)', () => {
  it('brings a version-2 file to the latest version: its data kept, a copy of it beside it, leases usable', async () => {
    const file = path.join(dir, 'version-2.db');
    const old = await openSqliteStorage(file, { migrations: MIGRATIONS.slice(0, 2) });
    const experiment = await old.createExperiment({ name: 'from-v2', config: { a: 2 }, seed: 3 });
    await old.close();
    expect(await query(file, "SELECT name FROM sqlite_schema WHERE name = 'leases'")).toEqual([]);

    const storage = await openSqliteStorage(file);
    expect(await storage.getExperiment('from-v2')).toMatchObject({ id: experiment.id, config: { a: 2 }, seed: 3 });
    const claim = await storage.acquireLease(
      experiment.id,
      { host: 'h', pid: process.pid, token: 't' },
      { staleAfterMs: 1000 },
    );
    expect(claim.acquired).toBe(true);
    await storage.close();

    expect(await query(file, 'PRAGMA user_version')).toEqual([{ user_version: MIGRATIONS.length }]);
    expect(await query(file, 'SELECT experiment_id, host, pid, token FROM leases')).toEqual([
      { experiment_id: experiment.id, host: 'h', pid: process.pid, token: 't' },
    ]);
    expect(await query(`${file}.v2.bak`, 'PRAGMA user_version')).toEqual([{ user_version: 2 }]);
  });
});

describe('migration 4 (diagnostics per epoch)', () => {
  it('brings a version-3 file to the latest version: trials kept, the older diagnostics shape left in the file and out of the record, continuations usable', async () => {
    const file = path.join(dir, 'version-3.db');
    const old = await openSqliteStorage(file, { migrations: MIGRATIONS.slice(0, 3) });
    const experiment = await old.createExperiment({ name: 'from-v3', config: { a: 3 }, seed: 4 });
    await old.close();
    // A COMPLETE trial as nas wrote it at version 3, with that version's diagnostics shape (today's
    // insert names a column version 3 lacks, so the row is written directly).
    const legacy = { gradients: { epochs: [{ epoch: 1, meanNorm: 0.5, maxNorm: 1 }] } };
    const db = await Db.open(file, false);
    const { lastID } = await db.run(
      `INSERT INTO trials (experiment_id, number, sample, key, state, started_at, finished_at, seconds, params,
         params_total, macs, train_memory_bytes, inference_memory_bytes, estimated_latency_ms, metrics, diagnostics)
       VALUES (?, 0, '{"s":1}', 'k', 'COMPLETE', 1, 2, 1, 10, 10, 100, 1000, 100, 0.5, '{"validationAccuracy":0.5}', ?)`,
      [experiment.id, JSON.stringify(legacy)],
    );
    await db.close();
    const trial = { id: lastID };

    const storage = await openSqliteStorage(file);
    const back = await storage.getTrial(trial.id);
    expect(back?.state).toBe('COMPLETE');
    expect(back?.outcome?.diagnostics).toBeUndefined();
    expect(await storage.listDiagnostics(trial.id)).toEqual([]);
    const promoted = await storage.createTrial(experiment.id, { number: 1, sample: { s: 1 }, key: 'k', continues: 0 });
    expect((await storage.getTrial(promoted.id))?.continues).toBe(0);
    expect(back?.continues).toBeUndefined();
    await storage.close();
    expect(await query(file, 'PRAGMA user_version')).toEqual([{ user_version: MIGRATIONS.length }]);
    expect(await query(file, 'SELECT diagnostics FROM trials WHERE number = 0')).toEqual([
      { diagnostics: JSON.stringify(legacy) },
    ]);
  });
});
