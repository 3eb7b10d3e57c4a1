import { isMainThread } from 'node:worker_threads';
import pg from 'pg';
import { StorageError, StorageMisuseError } from './errors.js';
import { MIGRATIONS } from './migrations.js';
import { PgDb, RETRY, Sql, storagePool, type RetryPolicy } from './postgres-db.js';
import { openFailure, type PostgresPlace } from './postgres-errors.js';
import { shownLocation } from './location.js';
import { inspectDatabase, migrateDatabase, mustMigrateDatabase } from './postgres-schema.js';
import { SqlStorage } from './sql-storage.js';
import type { Storage } from './storage.js';
import type { SqliteStorageOptions } from './sqlite-open.js';

/** Options of {@link openPostgresStorage}: those of the SQLite file, and how calls are retried. */
export interface PostgresStorageOptions extends SqliteStorageOptions {
  /** Retries of a call whose connection was lost (tests pass shorter ones). */
  readonly retry?: RetryPolicy;
}

/** Where `url` points, as the storage's messages name it: the URL without its password, and host:port. */
export function postgresPlace(url: string): PostgresPlace {
  const where = shownLocation(url);
  let params: pg.Client;
  try {
    params = new pg.Client({ connectionString: url });
  } catch (cause) {
    throw new StorageError(
      'STORAGE_OPEN',
      `cannot read the PostgreSQL URL ${where}: ${(cause as Error).message}`,
      'write it as postgres://user:password@host:port/database (a password with @, :, / or % in it percent-encoded: %40, %3A, %2F, %25)',
      { cause },
    );
  }
  const server = `${params.host.includes(':') ? `[${params.host}]` : params.host}:${params.port}`;
  return { where, server, user: params.user ?? '', database: params.database ?? '' };
}

/**
 * Opens the nas database in PostgreSQL at `url` (read-write: creating the tables, migrating an older
 * schema). A server that cannot be reached, a refused user and a missing database are
 * `StorageError`s saying what to fix. Writes only from the main thread, as the SQLite file.
 */
export async function openPostgresStorage(url: string, options: PostgresStorageOptions = {}): Promise<Storage> {
  const readonly = options.readonly ?? false;
  if (!readonly && !isMainThread)
    throw new StorageMisuseError(
      'NOT_MAIN_THREAD',
      'only the main thread writes the database; open it with { readonly: true } here',
    );
  const place = postgresPlace(url);
  const pool = storagePool(url);
  try {
    const client = await pool.connect().catch((error: unknown) => {
      throw (
        openFailure(place, error) ??
        new StorageError('STORAGE_OPEN', `cannot open ${place.where}: ${(error as Error).message}`, 'check the URL', {
          cause: error,
        })
      );
    });
    try {
      const sql = new Sql(client);
      const migrations = options.migrations ?? MIGRATIONS;
      if (mustMigrateDatabase(place, readonly, await inspectDatabase(sql), migrations))
        await migrateDatabase(sql, place, migrations);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  return new SqlStorage(new PgDb(pool, place, readonly, options.retry ?? RETRY), options.now ?? Date.now);
}
