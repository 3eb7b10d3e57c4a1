import { createRequire } from 'node:module';
import type { Database, RunResult, Statement } from 'sqlite3';
import { pathToFileURL } from 'node:url';
import { diskRefusal } from './disk-refusal.js';
import { StorageError, StorageMisuseError } from './errors.js';
import { sqliteText, type SqlSession } from './sql-session.js';
import type { SqlDatabase } from './sql-storage.js';

type Sqlite3 = typeof import('sqlite3');

/** Bound parameters: positional (`?`) or named (`$name`). */
export type Params = readonly unknown[] | Readonly<Record<string, unknown>>;

let loaded: Sqlite3 | undefined;

function loadSqlite3(): Sqlite3 {
  if (loaded !== undefined) return loaded;
  try {
    loaded = createRequire(import.meta.url)('sqlite3') as Sqlite3;
  } catch (cause) {
    throw new StorageError(
      'SQLITE_ADDON',
      `the SQLite addon (sqlite3) could not be loaded: ${(cause as Error).message.split('\n')[0]}`,
      'run `npm run setup-native` in the project folder; it builds the addon and says what is missing',
      { cause },
    );
  }
  return loaded;
}

/**
 * A promise face over one sqlite3 connection. The driver is callback-based and runs statements on
 * libuv's thread pool; {@link Db.serial} runs whole operations one after another so that a
 * transaction never interleaves with another caller's statements on the same connection.
 */
export class Db implements SqlDatabase {
  private tail: Promise<unknown> = Promise.resolve();
  /** Prepared statements of {@link Db.run} and {@link Db.rows}, by SQL text: parsed once, not on every call. */
  private readonly statements = new Map<string, Statement>();
  private readonly session: SqlSession = sqliteSession(this);

  private constructor(
    private readonly raw: Database,
    readonly path: string,
    readonly readonly: boolean,
  ) {}

  /** Opens (read-write: creating) a database file; `immutable` (read-only opens): as a file nobody changes, without the -shm file (docs/storage.md). */
  static open(path: string, readonly: boolean, immutable = false): Promise<Db> {
    const sqlite3 = loadSqlite3();
    const mode = readonly ? sqlite3.OPEN_READONLY : sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE;
    const name = immutable ? `${pathToFileURL(path).href}?immutable=1` : path;
    return new Promise((resolve, reject) => {
      const raw = new sqlite3.Database(name, immutable ? mode | sqlite3.OPEN_URI : mode, (error) =>
        error ? reject(error) : resolve(new Db(raw, path, readonly)),
      );
    });
  }

  /** A write the disk refused (full, read-only) as a `StorageError` naming the file; any other error as it is. */
  private failure(error: Error): Error {
    return this.readonly ? error : (diskRefusal(`cannot write ${this.path}`, error) ?? error);
  }

  /** How messages name the database: its file. */
  get where(): string {
    return this.path;
  }

  read<T>(body: (s: SqlSession) => Promise<T>): Promise<T> {
    return this.call(body);
  }

  /** Runs a call that writes: one statement commits by itself, a call of several opens a transaction. */
  write<T>(body: (s: SqlSession) => Promise<T>): Promise<T> {
    return this.call(body);
  }

  private call<T>(body: (s: SqlSession) => Promise<T>): Promise<T> {
    return body(this.session).catch((error: unknown) => {
      if (sqliteCode(error) === 'SQLITE_READONLY')
        throw new StorageMisuseError('READONLY', `${this.path} is open read-only`, { cause: error });
      throw error;
    });
  }

  /** Runs `operation` after every operation queued before it has settled. */
  serial<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.tail.then(operation);
    this.tail = result.catch(() => undefined);
    return result;
  }

  run(sql: string, params: Params = []): Promise<{ lastID: number; changes: number }> {
    const fail = (error: Error) => this.failure(error);
    return this.onPrepared<{ lastID: number; changes: number }>(sql, (statement, resolve, reject) =>
      statement.run(params, function (this: RunResult, error: Error | null) {
        if (error) reject(fail(error));
        else resolve({ lastID: this.lastID, changes: this.changes });
      }),
    );
  }

  /**
   * The rows of a statement prepared once and run to its end each time: a write with RETURNING
   * has committed when they come back (one step, as `get` takes, would leave it open).
   */
  rows<T>(sql: string, params: Params = []): Promise<T[]> {
    return this.onPrepared<T[]>(sql, (statement, resolve, reject) =>
      statement.all<T>(params, (error, rows) => (error ? reject(this.failure(error)) : resolve(rows))),
    );
  }

  /**
   * Runs `call` on the statement of `sql`, prepared once. A statement that fails to prepare (a column
   * the file lacks) calls no callback and emits 'error' instead: that rejects, and it is not cached.
   */
  private onPrepared<T>(
    sql: string,
    call: (statement: Statement, resolve: (value: T) => void, reject: (error: Error) => void) => void,
  ): Promise<T> {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.raw.prepare(sql);
      statement.setMaxListeners(0); // one 'error' listener per call in flight
      this.statements.set(sql, statement);
    }
    const prepared = statement;
    return new Promise<T>((resolve, reject) => {
      const unprepared = (error: Error) => {
        this.statements.delete(sql);
        reject(this.failure(error));
      };
      prepared.once('error', unprepared);
      call(
        prepared,
        (value) => {
          prepared.off('error', unprepared);
          resolve(value);
        },
        (error) => {
          prepared.off('error', unprepared);
          reject(error);
        },
      );
    });
  }

  get<T>(sql: string, params: Params = []): Promise<T | undefined> {
    return new Promise((resolve, reject) => {
      this.raw.get<T>(sql, params, (error, row) => (error ? reject(this.failure(error)) : resolve(row)));
    });
  }

  all<T>(sql: string, params: Params = []): Promise<T[]> {
    return new Promise((resolve, reject) => {
      this.raw.all<T>(sql, params, (error, rows) => (error ? reject(this.failure(error)) : resolve(rows)));
    });
  }

  exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.raw.exec(sql, (error) => (error ? reject(this.failure(error)) : resolve()));
    });
  }

  /** Runs `body` in one write transaction (BEGIN IMMEDIATE: takes the write lock up front). */
  async transaction<T>(body: () => Promise<T>): Promise<T> {
    await this.exec('BEGIN IMMEDIATE');
    try {
      const result = await body();
      await this.exec('COMMIT');
      return result;
    } catch (error) {
      await this.exec('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.statements.values()].map((s) => new Promise((resolve) => s.finalize(resolve))));
    this.statements.clear();
    return new Promise((resolve, reject) => {
      this.raw.close((error) => (error ? reject(error) : resolve()));
    });
  }
}

/** The SQLite result code of a driver error ('SQLITE_CONSTRAINT', ...), if it is one. */
export function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/** The {@link SqlSession} of a SQLite connection: the shared SQL without its PostgreSQL types, each call in the connection's order. */
export function sqliteSession(db: Db): SqlSession {
  return {
    get: async <T>(sql: string, params: readonly unknown[] = []) => (await db.rows<T>(sqliteText(sql), params))[0],
    all: (sql, params = []) => db.rows(sqliteText(sql), params),
    run: async (sql, params = []) => (await db.run(sqliteText(sql), params)).changes,
    transaction: (body) => db.transaction(body),
    lock: () => '',
    violated: (error) => {
      if (sqliteCode(error) !== 'SQLITE_CONSTRAINT') return undefined;
      return /FOREIGN KEY/.test((error as Error).message) ? 'foreign-key' : 'unique';
    },
  };
}
