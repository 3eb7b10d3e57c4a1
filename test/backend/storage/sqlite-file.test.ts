import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.js';
import {
  MemoryStorage,
  StorageError,
  StorageMisuseError,
  openSqliteStorage,
} from '../../../src/backend/storage/index.js';
import { MIGRATIONS, NAS_APPLICATION_ID } from '../../../src/backend/storage/migrations.js';
import { Db } from '../../../src/backend/storage/sqlite-db.js';
import { rejection } from './contract.js';
import { dump, fill } from './search-fill.js';
import { tickingClock } from './values.js';
import { tempDir } from './temp.js';

const dir = tempDir();

describe('SQLite storage file', () => {
  it('rejects a write whose statement cannot be prepared (a column the file lacks), then takes the next one', async () => {
    const raw = await Db.open(path.join(dir, 'unprepared.db'), false);
    await raw.exec('CREATE TABLE t (a INTEGER)');
    for (let attempt = 0; attempt < 2; attempt++)
      await expect(raw.run('INSERT INTO t (b) VALUES (?)', [1])).rejects.toThrow('table t has no column named b');
    await expect(raw.rows('INSERT INTO t (b) VALUES (?) RETURNING a', [1])).rejects.toThrow('no column named b');
    expect(await raw.run('INSERT INTO t (a) VALUES (?)', [7])).toMatchObject({ changes: 1 });
    expect(await raw.all('SELECT a FROM t')).toEqual([{ a: 7 }]);
    await raw.close();
  });

  it('is a WAL-journaled nas database at the latest schema version', async () => {
    const file = path.join(dir, 'new', 'nested', 'nas.db');
    const storage = await openSqliteStorage(file);
    const raw = await Db.open(file, true);
    expect(await raw.get('PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' });
    expect(await raw.get('PRAGMA application_id')).toEqual({ application_id: NAS_APPLICATION_ID });
    expect(await raw.get('PRAGMA user_version')).toEqual({ user_version: MIGRATIONS.length });
    await raw.close();
    await storage.close();
  });

  it('keeps only the latest strategy snapshot of an experiment', async () => {
    const file = path.join(dir, 'snapshots.db');
    const storage = await openSqliteStorage(file);
    const { id } = await storage.createExperiment({ name: 'snap', config: {}, seed: 0 });
    for (let i = 0; i < 5; i++) await storage.saveStrategyState(id, i, { step: i });
    expect(await storage.latestStrategyState(id)).toMatchObject({ afterTrial: 4, state: { step: 4 } });
    const raw = await Db.open(file, true);
    expect(await raw.get('SELECT COUNT(*) AS n FROM strategy_states')).toEqual({ n: 1 });
    await raw.close();
    await storage.close();
  });

  it('holds exactly what the in-memory twin holds, after close and reopen', async () => {
    const file = path.join(dir, 'reopen.db');
    const memory = new MemoryStorage(tickingClock());
    const first = await openSqliteStorage(file, { now: tickingClock() });
    await fill(memory);
    await fill(first);
    await first.close();
    const again = await openSqliteStorage(file);
    expect(await dump(again)).toStrictEqual(await dump(memory));
    await again.close();
  });

  it('opens read-only beside a writer, sees its writes, and refuses to write', async () => {
    const file = path.join(dir, 'readonly.db');
    const writer = await openSqliteStorage(file);
    await fill(writer);
    const reader = await openSqliteStorage(file, { readonly: true });
    expect((await reader.listExperiments()).map((e) => [e.name, e.trials])).toEqual([
      ['a', { RUNNING: 1, COMPLETE: 1, FAILED: 1, PRUNED: 1 }],
      ['b', { RUNNING: 0, COMPLETE: 0, FAILED: 0, PRUNED: 0 }],
    ]);
    await writer.createExperiment({ name: 'c', config: {}, seed: 1 });
    expect(await reader.getExperiment('c')).toMatchObject({ name: 'c', status: 'running' });
    const error = await rejection(
      reader.createExperiment({ name: 'd', config: {}, seed: 1 }),
      StorageMisuseError,
      'READONLY',
    );
    expect(error.message).toContain('read-only');
    await writer.close();
    expect((await reader.listExperiments()).length).toBe(3);
    await reader.close();
    const afterwards = await openSqliteStorage(file, { readonly: true });
    expect((await afterwards.listExperiments()).length).toBe(3);
    await afterwards.close();
  });

  it('refuses to read a file that is not there', async () => {
    const error = await rejection(
      openSqliteStorage(path.join(dir, 'missing.db'), { readonly: true }),
      StorageError,
      'STORAGE_MISSING',
    );
    expect(error.message).toContain('missing.db');
  });

  it('refuses a text file, naming it and leaving it untouched', async () => {
    const file = path.join(dir, 'notes.txt');
    const text = 'experiment notes\n'.repeat(100);
    writeFileSync(file, text);
    for (const readonly of [false, true]) {
      const error = await rejection(openSqliteStorage(file, { readonly }), StorageError, 'STORAGE_NOT_NAS');
      expect(error).toBeInstanceOf(UserError);
      expect(error.message).toBe(`${file} is not a nas database: it is not an SQLite database`);
    }
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it("refuses another application's SQLite database and does not add tables to it", async () => {
    const file = path.join(dir, 'other-app.db');
    const raw = await Db.open(file, false);
    await raw.exec('CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)');
    await raw.close();
    const error = await rejection(openSqliteStorage(file), StorageError, 'STORAGE_NOT_NAS');
    expect(error.message).toContain('another application');
    const check = await Db.open(file, true);
    expect(await check.all("SELECT name FROM sqlite_schema WHERE type = 'table'")).toEqual([{ name: 'photos' }]);
    await check.close();
  });

  it('creates its database in an empty file (0 bytes is an empty SQLite database)', async () => {
    const file = path.join(dir, 'empty.db');
    writeFileSync(file, '');
    await rejection(openSqliteStorage(file, { readonly: true }), StorageError, 'STORAGE_EMPTY');
    const storage = await openSqliteStorage(file);
    expect((await storage.createExperiment({ name: 'x', config: {}, seed: 0 })).id).toBe(1);
    await storage.close();
  });
});
