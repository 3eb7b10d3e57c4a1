import type { PostgresStorageOptions } from './postgres-open.js';
import { isPostgresUrl } from './location.js';
import { openSqliteStorage } from './sqlite-open.js';
import type { Storage } from './storage.js';

/** Options of {@link openStorage}: `readonly`, `now` and `migrations` for either storage; `retry` for PostgreSQL only. */
export type StorageOptions = PostgresStorageOptions;

/**
 * Opens the storage at `location`: a PostgreSQL database for a `postgres://` or `postgresql://` URL,
 * else the SQLite file at that path (docs/storage.md). PostgreSQL's client is loaded only then.
 */
export async function openStorage(location: string, options: StorageOptions = {}): Promise<Storage> {
  if (!isPostgresUrl(location)) return openSqliteStorage(location, options);
  const { openPostgresStorage } = await import('./postgres-open.js');
  return openPostgresStorage(location, options);
}
