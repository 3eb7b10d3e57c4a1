import { existsSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { StorageError, StorageMisuseError } from './errors.js';
import { ensureWritable, readsAsImmutable } from './file-access.js';
import { MIGRATIONS, inspectFile, migrate, mustMigrate, type Migration } from './migrations.js';
import { Db } from './sqlite-db.js';
import { SqlStorage } from './sql-storage.js';
import type { Storage } from './storage.js';

/** Options of {@link openSqliteStorage}. */
export interface SqliteStorageOptions {
  /** Open for reading only (another process may be writing): `nas ls` during a search. */
  readonly readonly?: boolean;
  /** Clock for timestamps (ms). */
  readonly now?: () => number;
  /** The schema history to bring the file to; tests pass an older or longer one. */
  readonly migrations?: readonly Migration[];
}

/** Busy readers and writers of other processes are waited for this long before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 10_000;

/**
 * Opens (read-write: creates, migrating an older schema) the nas database at `file`: WAL journal,
 * so other processes read while this one writes; foreign keys on. Writes only from the main thread.
 */
export async function openSqliteStorage(file: string, options: SqliteStorageOptions = {}): Promise<Storage> {
  const readonly = options.readonly ?? false;
  if (!readonly && !isMainThread)
    throw new StorageMisuseError(
      'NOT_MAIN_THREAD',
      'only the main thread writes the database; open it with { readonly: true } here',
    );
  if (readonly && !existsSync(file))
    throw new StorageError('STORAGE_MISSING', `there is no nas database at ${file}`, 'a `nas search` creates it');
  if (!readonly) ensureWritable(file);
  const db = await Db.open(file, readonly, readonly && readsAsImmutable(file)).catch((cause: unknown) => {
    throw new StorageError(
      'STORAGE_OPEN',
      `cannot open ${file}: ${(cause as Error).message}`,
      'check that the path names a file you may read (and write)',
      { cause },
    );
  });
  try {
    await db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const migrations = options.migrations ?? MIGRATIONS;
    const migrating = mustMigrate(db, await inspectFile(db), migrations);
    if (!readonly) await db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL');
    if (migrating) await migrate(db, migrations);
    await db.exec('PRAGMA foreign_keys = ON');
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  return new SqlStorage(db, options.now ?? Date.now);
}
