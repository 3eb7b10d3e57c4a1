import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { expect, it } from 'vitest';
import type { UserError } from '../../../src/core/errors.js';
import {
  StorageError,
  StorageMisuseError,
  openSqliteStorage,
  openStorage,
} from '../../../src/backend/storage/index.js';
import { Db } from '../../../src/backend/storage/sqlite-db.js';
import { MIGRATIONS, type Migration } from '../../../src/backend/storage/migrations.js';
import { endAll, lines, spawnFixture } from './children.js';
import { rejection } from './contract.js';
import { expectOneClaimWins } from './lease-race.js';
import { describePostgres } from './postgres-describe.js';
import { PASSWORD_USER } from './postgres-server.js';
import { tempDir } from './temp.js';
import { outcome } from './values.js';

const dir = tempDir();

/** The schema history of a future nas: today's, plus a second step. */
const NOTE = "ALTER TABLE experiments ADD COLUMN note TEXT NOT NULL DEFAULT 'none'";
const withNotes: Migration[] = [
  ...MIGRATIONS,
  { version: MIGRATIONS.length + 1, name: 'experiment notes', sql: NOTE, postgres: NOTE },
];

describePostgres('PostgreSQL schema versions and opening', (server) => {
  /** A fresh database written by the nas of `migrations`, with one experiment in it. */
  async function databaseOf(migrations: readonly Migration[] = MIGRATIONS): Promise<string> {
    const url = await server().createDatabase();
    const storage = await openStorage(url, { migrations });
    await storage.createExperiment({ name: 'kept', config: { a: 1 }, seed: 9 });
    await storage.close();
    return url;
  }
  const version = async (url: string) =>
    (
      await server().sql<{ application: string; version: number }>(
        'SELECT application, version FROM nas_schema',
        dbName(url),
      )
    )[0];

  it('gives a blank database the whole schema and records its version in nas_schema', async () => {
    const url = await databaseOf();
    expect(await version(url)).toEqual({ application: 'nas', version: MIGRATIONS.length });
    const tables = await server().sql<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
      dbName(url),
    );
    expect(tables.map((t) => t.table_name)).toEqual([
      'diagnostics',
      'epochs',
      'events',
      'experiments',
      'leases',
      'nas_schema',
      'strategy_states',
      'trials',
    ]);
  });

  it('has the tables and columns of the SQLite file, with the same keys (each migration written for both)', async () => {
    const file = path.join(dir, 'same.db');
    await (await openSqliteStorage(file)).close();
    const db = await Db.open(file, true);
    const sqlite: Record<string, string[]> = {};
    for (const { name } of await db.all<{ name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table'")) {
      sqlite[name] = (await db.all<{ name: string; pk: number }>(`PRAGMA table_info(${name})`))
        .map((c) => `${c.name}${c.pk > 0 ? ' (key)' : ''}`)
        .sort();
    }
    await db.close();
    const url = await databaseOf();
    const rows = await server().sql<{ table_name: string; column_name: string; key: boolean }>(
      `SELECT c.table_name, c.column_name, EXISTS (SELECT 1 FROM information_schema.key_column_usage k JOIN information_schema.table_constraints t USING (constraint_name, table_name)
         WHERE t.constraint_type = 'PRIMARY KEY' AND k.table_name = c.table_name AND k.column_name = c.column_name) AS key
       FROM information_schema.columns c WHERE c.table_schema = 'public' AND c.table_name <> 'nas_schema'`,
      dbName(url),
    );
    const postgres: Record<string, string[]> = {};
    for (const r of rows) (postgres[r.table_name] ??= []).push(`${r.column_name}${r.key ? ' (key)' : ''}`);
    for (const columns of Object.values(postgres)) columns.sort();
    expect(postgres).toEqual(sqlite);
  });

  it('migrates an older database in one step and keeps its data', async () => {
    const url = await databaseOf();
    const storage = await openStorage(url, { migrations: withNotes });
    expect(await storage.getExperiment('kept')).toMatchObject({ name: 'kept', config: { a: 1 }, seed: 9 });
    await storage.createExperiment({ name: 'new', config: {}, seed: 1 });
    await storage.close();
    expect(await version(url)).toEqual({ application: 'nas', version: withNotes.length });
    expect(await server().sql('SELECT name, note FROM experiments ORDER BY id', dbName(url))).toEqual([
      { name: 'kept', note: 'none' },
      { name: 'new', note: 'none' },
    ]);
  });

  it('brings a version-3 database to the latest version: trials kept, diagnostics and continuations usable', async () => {
    const url = await server().createDatabase();
    const old = await openStorage(url, { migrations: MIGRATIONS.slice(0, 3) });
    const experiment = await old.createExperiment({ name: 'from-v3', config: { a: 3 }, seed: 4 });
    await old.close();
    // A RUNNING trial as nas wrote it at version 3 (today's insert names a column version 3 lacks).
    const [row] = await server().sql<{ id: string }>(
      `INSERT INTO trials (experiment_id, number, sample, key, state, started_at)
       VALUES (${experiment.id}, 0, '{"s":1}', 'k', 'RUNNING', 1) RETURNING id`,
      dbName(url),
    );
    const trial = { id: Number(row?.id) };
    expect(await version(url)).toEqual({ application: 'nas', version: 3 });

    const storage = await openStorage(url);
    await storage.addDiagnostics(trial.id, { epoch: 1, checks: [], histograms: [], flags: [] });
    await storage.finishTrial(trial.id, { state: 'COMPLETE', outcome: outcome(1) });
    expect((await storage.getTrial(trial.id))?.state).toBe('COMPLETE');
    expect(await storage.listDiagnostics(trial.id)).toEqual([{ epoch: 1, checks: [], histograms: [], flags: [] }]);
    const promoted = await storage.createTrial(experiment.id, { number: 1, sample: { s: 1 }, key: 'k', continues: 0 });
    expect((await storage.getTrial(promoted.id))?.continues).toBe(0);
    expect((await storage.getTrial(trial.id))?.continues).toBeUndefined();
    await storage.close();
    expect(await version(url)).toEqual({ application: 'nas', version: MIGRATIONS.length });
  });

  it('refuses a database from a newer nas, naming both versions and the upgrade', async () => {
    const url = await databaseOf(withNotes);
    for (const readonly of [false, true]) {
      const error = await rejection(openStorage(url, { readonly }), StorageError, 'STORAGE_VERSION');
      expect(error.message).toBe(
        `${url} has schema version ${withNotes.length}, newer than this nas knows (${MIGRATIONS.length})`,
      );
      expect((error as UserError).hint).toContain('git pull && npm install');
    }
  });

  it('does not migrate through a read-only open, nor create tables in a blank database', async () => {
    const url = await databaseOf();
    const error = await rejection(
      openStorage(url, { readonly: true, migrations: withNotes }),
      StorageError,
      'STORAGE_VERSION',
    );
    expect(error.message).toBe(
      `${url} has schema version ${MIGRATIONS.length} and this nas reads version ${withNotes.length}; a read-only open cannot migrate it`,
    );
    expect((error as UserError).hint).toContain('open it once for writing');
    expect(await version(url)).toEqual({ application: 'nas', version: MIGRATIONS.length });

    const blank = await server().createDatabase();
    expect((await rejection(openStorage(blank, { readonly: true }), StorageError, 'STORAGE_EMPTY')).message).toBe(
      `${blank} holds no nas data yet`,
    );
    expect(await server().sql("SELECT to_regclass('nas_schema') AS t", dbName(blank))).toEqual([{ t: null }]);
  });

  it('reads through a read-only open and refuses its writes', async () => {
    const url = await databaseOf();
    const storage = await openStorage(url, { readonly: true });
    expect((await storage.listExperiments()).map((e) => e.name)).toEqual(['kept']);
    const error = await rejection(
      storage.createExperiment({ name: 'x', config: {}, seed: 1 }),
      StorageMisuseError,
      'READONLY',
    );
    expect(error.message).toBe(`${url} is open read-only`);
    await storage.close();
  });

  it('leaves the database as it was when a migration fails half-way', async () => {
    const url = await databaseOf();
    const broken: Migration[] = [
      ...MIGRATIONS,
      {
        version: MIGRATIONS.length + 1,
        name: 'half done',
        sql: '',
        postgres:
          'ALTER TABLE experiments ADD COLUMN x TEXT; UPDATE experiments SET x = 1; SELECT * FROM missing_table',
      },
    ];
    await expect(openStorage(url, { migrations: broken })).rejects.toThrow(
      `migration ${broken.length} (half done) of ${url} failed: relation "missing_table" does not exist; the database is unchanged`,
    );
    expect(await version(url)).toEqual({ application: 'nas', version: MIGRATIONS.length });
    const columns = await server().sql<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'experiments'",
      dbName(url),
    );
    expect(columns.map((c) => c.column_name)).not.toContain('x');
    const storage = await openStorage(url, { migrations: withNotes });
    expect((await storage.getExperiment('kept'))?.seed).toBe(9);
    await storage.close();
  });

  it("refuses another application's database and writes nothing into it", async () => {
    const url = await server().createDatabase();
    await server().sql('CREATE TABLE customers (id INTEGER); CREATE TABLE orders (id INTEGER)', dbName(url));
    const error = await rejection(openStorage(url), StorageError, 'STORAGE_NOT_NAS');
    expect(error.message).toBe(
      `${url} is not a nas database: its schema "public" holds 2 tables or views and no nas_schema table (another application's)`,
    );
    expect((error as UserError).hint).toContain('a database of its own');
    expect(await server().sql("SELECT to_regclass('nas_schema') AS t", dbName(url))).toEqual([{ t: null }]);

    const other = await server().createDatabase();
    await server().sql(
      "CREATE TABLE nas_schema (application TEXT, version INTEGER); INSERT INTO nas_schema VALUES ('not-nas', 1)",
      dbName(other),
    );
    expect((await rejection(openStorage(other), StorageError, 'STORAGE_NOT_NAS')).message).toBe(
      `${other} is not a nas database: its nas_schema table names the application "not-nas"`,
    );
  });

  it('migrates once when several processes open a blank database at the same moment', async () => {
    const url = await server().createDatabase();
    const children = Array.from({ length: 4 }, () => spawnFixture('open-storage.ts', [url]));
    const next = children.map(lines);
    try {
      for (const line of next) expect(await line()).toBe('ready');
      for (const child of children) child.stdin.write('go\n');
      expect(await Promise.all(next.map((line) => line()))).toEqual(['opened', 'opened', 'opened', 'opened']);
    } finally {
      await endAll(children);
    }
    expect(await server().sql('SELECT n FROM counted', dbName(url))).toEqual([{ n: 1 }]);
    expect(await version(url)).toEqual({ application: 'nas', version: MIGRATIONS.length + 1 });
  });

  it('gives the lease to exactly one of several processes that claim it at the same moment', async () => {
    const url = await server().createDatabase();
    const storage = await openStorage(url);
    await storage.createExperiment({ name: 'contested', config: {}, seed: 1 });
    try {
      await expectOneClaimWins(url, storage, 'contested');
    } finally {
      await storage.close();
    }
  });

  it('refuses a read-write open in a worker thread, and reads there', async () => {
    const url = await databaseOf();
    const worker = new Worker(
      path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'open-in-worker.mjs'),
      { workerData: { file: url } },
    );
    const [seen] = (await once(worker, 'message')) as [unknown];
    await worker.terminate();
    expect(seen).toEqual({ writing: 'NOT_MAIN_THREAD', names: ['kept'] });
  });

  it('says what to fix when the server is not there, the user is refused, or the database is missing', async () => {
    const port = server().port;
    const down = `postgres://postgres@127.0.0.1:1/nas`;
    const unreachable = await rejection(openStorage(down), StorageError, 'STORAGE_UNREACHABLE');
    expect(unreachable.message).toBe('cannot reach PostgreSQL at 127.0.0.1:1 (ECONNREFUSED)');
    expect((unreachable as UserError).hint).toContain('start the server');

    const missing = await rejection(
      openStorage(`postgres://postgres@127.0.0.1:${port}/no_such_db`),
      StorageError,
      'STORAGE_MISSING',
    );
    expect(missing.message).toBe(`there is no database "no_such_db" on PostgreSQL at 127.0.0.1:${port}`);
    expect((missing as UserError).hint).toContain(`createdb -h 127.0.0.1 -p ${port} -U postgres no_such_db`);

    const nobody = await rejection(
      openStorage(`postgres://nobody@127.0.0.1:${port}/postgres`),
      StorageError,
      'STORAGE_AUTH',
    );
    expect(nobody.message).toBe(`PostgreSQL at 127.0.0.1:${port} refused user "nobody": role "nobody" does not exist`);

    await server().sql(`CREATE ROLE ${PASSWORD_USER} LOGIN PASSWORD 'right'`);
    const wrong = await rejection(
      openStorage(`postgres://${PASSWORD_USER}:wrong@127.0.0.1:${port}/postgres`),
      StorageError,
      'STORAGE_AUTH',
    );
    expect(wrong.message).toBe(
      `PostgreSQL at 127.0.0.1:${port} refused user "${PASSWORD_USER}": password authentication failed for user "${PASSWORD_USER}"`,
    );
    expect(wrong.message).not.toContain('wrong');
    expect((wrong as UserError).hint).toContain('user and password in the URL');
    const none = await rejection(
      openStorage(`postgres://${PASSWORD_USER}@127.0.0.1:${port}/postgres`),
      StorageError,
      'STORAGE_AUTH',
    );
    expect(none.message).toBe(
      `PostgreSQL at 127.0.0.1:${port} refused user "${PASSWORD_USER}": it asks for a password and the URL gives none`,
    );
    const db = await server().createDatabase();
    await server().sql(`ALTER DATABASE ${dbName(db)} OWNER TO ${PASSWORD_USER}`);
    const right = await openStorage(`postgres://${PASSWORD_USER}:right@127.0.0.1:${port}/${dbName(db)}`);
    const experiment = await right.createExperiment({ name: 'by-password', config: {}, seed: 1 });
    await expect(right.createExperiment({ name: 'by-password', config: {}, seed: 1 })).rejects.toThrow(
      `an experiment named "by-password" already exists in postgres://${PASSWORD_USER}@127.0.0.1:${port}/${dbName(db)}`,
    );
    expect(experiment.name).toBe('by-password');
    await right.close();
  });
});

function dbName(url: string): string {
  return new URL(url).pathname.slice(1);
}
