import { createRequire } from 'node:module';
import type { Database, RunResult, Statement } from 'sqlite3';
import { pathToFileURL } from 'node:url';
import { diskRefusal } from './disk-refusal.js';
import { StorageError } from './errors.js';

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
export class Db {
  private tail: Promise<unknown> = Promise.resolve();
  /** Prepared statements of {@link Db.run}, by SQL text: parsed once, not on every call. */
  private readonly statements = new Map<string, Statement>();

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

  /** Runs `operation` after every operation queued before it has settled. */
  serial<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.tail.then(operation);
    this.tail = result.catch(() => undefined);
    return result;
  }

  run(sql: string, params: Params = []): Promise<{ lastID: number; changes: number }> {
    let statement = this.statements.get(sql);
    if (statement === undefined) this.statements.set(sql, (statement = this.raw.prepare(sql)));
    const fail = (error: Error) => this.failure(error);
    return new Promise((resolve, reject) => {
      statement.run(params, function (this: RunResult, error: Error | null) {
        if (error) reject(fail(error));
        else resolve({ lastID: this.lastID, changes: this.changes });
      });
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
