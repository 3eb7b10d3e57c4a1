// The schema version of a PostgreSQL database: the same numbered history as the SQLite file
// (migrations.ts, each step's `postgres` SQL), recorded in the one-row table `nas_schema`, with the
// same checks on open (docs/storage.md, *PostgreSQL*).
import { StorageError } from './errors.js';
import { checkHistory, newer, type Migration } from './migrations.js';
import type { Sql } from './postgres-db.js';
import type { PostgresPlace } from './postgres-errors.js';

/** What `nas_schema.application` holds in a nas database. */
export const NAS_APPLICATION = 'nas';

/** The key of the advisory lock that migrations take (the SQLite file's application id, "nas1"). */
const MIGRATION_LOCK = 0x6e617331;

/** What the database's schema (the connection's current one) holds before nas touches it. */
export interface DatabaseSchema {
  /** The schema's name (usually `public`). */
  readonly schema: string;
  /** `nas_schema`'s application and version; undefined when there is no such table. */
  readonly nas?: { readonly application: string; readonly version: number };
  /** Tables, views and sequences of other names. */
  readonly objects: number;
}

/** Reads the schema's nas version (if any) and how many other objects it holds. */
export async function inspectDatabase(sql: Sql): Promise<DatabaseSchema> {
  const found = await sql.get<{ schema: string; has_nas: boolean; objects: number }>(
    `SELECT current_schema() AS schema, to_regclass(format('%I.nas_schema', current_schema())) IS NOT NULL AS has_nas,
       (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND c.relname <> 'nas_schema') AS objects`,
  );
  if (found === undefined || found.schema === null)
    throw new Error('the connection has no current schema (search_path names no schema that exists)');
  if (!found.has_nas) return { schema: found.schema, objects: found.objects };
  const row = await sql.get<{ application: string; version: number }>('SELECT application, version FROM nas_schema');
  return { schema: found.schema, objects: found.objects, nas: row ?? { application: NAS_APPLICATION, version: 0 } };
}

/**
 * Checks that nas can use the database as it is or after migrating it; returns whether it must
 * migrate. A newer schema, another application's tables, or an old schema opened read-only is a
 * {@link StorageError}.
 */
export function mustMigrateDatabase(
  place: PostgresPlace,
  readonly: boolean,
  found: DatabaseSchema,
  migrations: readonly Migration[],
): boolean {
  const latest = checkHistory(migrations);
  if (found.nas === undefined && found.objects > 0) {
    throw notNas(
      place,
      `its schema "${found.schema}" holds ${found.objects} tables or views and no nas_schema table (another application's)`,
    );
  }
  if (found.nas !== undefined && found.nas.application !== NAS_APPLICATION) {
    throw notNas(place, `its nas_schema table names the application "${found.nas.application}"`);
  }
  const version = found.nas?.version ?? 0;
  if (version > latest) throw newer(place.where, version, latest);
  if (version === latest) return false;
  if (readonly && found.nas === undefined) {
    throw new StorageError(
      'STORAGE_EMPTY',
      `${place.where} holds no nas data yet`,
      'a `nas search` creates the tables and the first experiment',
    );
  }
  if (readonly) {
    throw new StorageError(
      'STORAGE_VERSION',
      `${place.where} has schema version ${version} and this nas reads version ${latest}; a read-only open cannot migrate it`,
      'open it once for writing with this nas (a `nas search` or `nas resume` into it migrates it in one transaction)',
    );
  }
  return true;
}

/**
 * Brings the database to the latest version in one transaction, under an advisory lock, re-reading
 * the version once it holds the lock (another process may have migrated meanwhile: it then does
 * nothing). A failing step rolls everything back and says which step failed.
 */
export async function migrateDatabase(sql: Sql, place: PostgresPlace, migrations: readonly Migration[]): Promise<void> {
  const latest = checkHistory(migrations);
  await sql.exec('BEGIN');
  try {
    await sql.run('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    const now = (await inspectDatabase(sql)).nas?.version ?? 0;
    if (now > latest) throw newer(place.where, now, latest);
    for (const step of migrations.slice(now)) {
      try {
        await sql.exec(step.postgres);
      } catch (cause) {
        throw new Error(
          `migration ${step.version} (${step.name}) of ${place.where} failed: ${(cause as Error).message}; the database is unchanged`,
          { cause },
        );
      }
    }
    await sql.exec(
      'CREATE TABLE IF NOT EXISTS nas_schema (only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row), application TEXT NOT NULL, version INTEGER NOT NULL)',
    );
    await sql.run(
      'INSERT INTO nas_schema (application, version) VALUES ($1, $2) ON CONFLICT (only_row) DO UPDATE SET version = excluded.version',
      [NAS_APPLICATION, latest],
    );
    await sql.exec('COMMIT');
  } catch (error) {
    await sql.exec('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

function notNas(place: PostgresPlace, why: string): StorageError {
  return new StorageError(
    'STORAGE_NOT_NAS',
    `${place.where} is not a nas database: ${why}`,
    "point nas at a database of its own (create one with `createdb`); nas never writes into other applications' tables",
  );
}
