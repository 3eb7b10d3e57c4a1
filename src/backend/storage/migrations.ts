import { existsSync } from 'node:fs';
import { StorageError } from './errors.js';
import { SCHEMA_001, SCHEMA_001_POSTGRES } from './schema-001.js';
import { SCHEMA_002, SCHEMA_002_POSTGRES } from './schema-002.js';
import { SCHEMA_003, SCHEMA_003_POSTGRES } from './schema-003.js';
import { SCHEMA_004, SCHEMA_004_POSTGRES } from './schema-004.js';
import { SCHEMA_005, SCHEMA_005_POSTGRES } from './schema-005.js';
import { sqliteCode, type Db } from './sqlite-db.js';

/** One step of the schema's history; its version is its place in the list (1-based). */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** The step in SQLite. */
  readonly sql: string;
  /** The same step in PostgreSQL (docs/storage.md, *PostgreSQL*). */
  readonly postgres: string;
}

/** The schema's history. Append only: never edit a migration that has shipped. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial schema', sql: SCHEMA_001, postgres: SCHEMA_001_POSTGRES },
  { version: 2, name: 'training engine of each trial', sql: SCHEMA_002, postgres: SCHEMA_002_POSTGRES },
  { version: 3, name: 'owner lease of each experiment', sql: SCHEMA_003, postgres: SCHEMA_003_POSTGRES },
  { version: 4, name: 'training diagnostics per epoch', sql: SCHEMA_004, postgres: SCHEMA_004_POSTGRES },
  { version: 5, name: 'the trial a promoted trial continues', sql: SCHEMA_005, postgres: SCHEMA_005_POSTGRES },
];

/** `PRAGMA application_id` of a nas database ('nas1' in ASCII): tells a nas file from any other SQLite file. */
export const NAS_APPLICATION_ID = 0x6e617331;

const UPGRADE_NAS = 'upgrade nas to the version that wrote it (in the nas folder: `git pull && npm install`)';

/** What a file holds before nas touches it. */
export interface FileSchema {
  readonly applicationId: number;
  readonly version: number;
  readonly objects: number;
}

/** Reads the application id, schema version and object count; a file that is not SQLite is a {@link StorageError}. */
export async function inspectFile(db: Db): Promise<FileSchema> {
  try {
    const app = await db.get<{ application_id: number }>('PRAGMA application_id');
    const user = await db.get<{ user_version: number }>('PRAGMA user_version');
    const schema = await db.get<{ n: number }>('SELECT count(*) AS n FROM sqlite_schema');
    return { applicationId: app?.application_id ?? 0, version: user?.user_version ?? 0, objects: schema?.n ?? 0 };
  } catch (cause) {
    if (sqliteCode(cause) !== 'SQLITE_NOTADB') throw cause;
    throw notNas(db.path, 'it is not an SQLite database', cause);
  }
}

/**
 * Checks that nas can use the file as it is or after migrating it; returns whether it must migrate.
 * A newer schema, another application's database, or an old schema opened read-only is a {@link StorageError}.
 */
export function mustMigrate(db: Db, found: FileSchema, migrations: readonly Migration[]): boolean {
  const latest = checkHistory(migrations);
  const blank = found.applicationId === 0 && found.version === 0 && found.objects === 0;
  if (!blank && found.applicationId !== NAS_APPLICATION_ID) {
    throw notNas(
      db.path,
      `it is an SQLite database of another application (application_id ${found.applicationId}, ${found.objects} objects)`,
    );
  }
  if (found.version > latest) throw newer(db.path, found.version, latest);
  if (found.version === latest) return false;
  if (db.readonly && blank) {
    throw new StorageError(
      'STORAGE_EMPTY',
      `${db.path} holds no nas data yet`,
      'a `nas search` creates the database and its first experiment',
    );
  }
  if (db.readonly) {
    throw new StorageError(
      'STORAGE_VERSION',
      `${db.path} has schema version ${found.version} and this nas reads version ${latest}; a read-only open cannot migrate it`,
      `open it once for writing with this nas (a \`nas search\` or \`nas resume\` into it migrates it in one transaction and keeps a copy of the old file as ${db.path}.v${found.version}.bak)`,
    );
  }
  return true;
}

/**
 * Brings the file to the latest version in one transaction (re-reading the version under the write
 * lock, in case another process migrated it meanwhile). A file with data is first copied to
 * `<path>.v<old version>.bak` (VACUUM INTO), unless that copy exists.
 */
export async function migrate(db: Db, migrations: readonly Migration[]): Promise<void> {
  const latest = checkHistory(migrations);
  const before = await db.get<{ user_version: number }>('PRAGMA user_version');
  const backup = `${db.path}.v${before?.user_version ?? 0}.bak`;
  if ((before?.user_version ?? 0) > 0 && !existsSync(backup)) await db.run('VACUUM INTO ?', [backup]);
  await db.transaction(async () => {
    const now = (await db.get<{ user_version: number }>('PRAGMA user_version'))?.user_version ?? 0;
    if (now > latest) throw newer(db.path, now, latest);
    for (const step of migrations.slice(now)) {
      try {
        await db.exec(step.sql);
      } catch (cause) {
        throw new Error(
          `migration ${step.version} (${step.name}) of ${db.path} failed: ${(cause as Error).message}; the file is unchanged`,
          { cause },
        );
      }
    }
    await db.exec(`PRAGMA application_id = ${NAS_APPLICATION_ID}; PRAGMA user_version = ${latest}`);
  });
}

/** The latest version of `migrations`, after checking that their versions are 1, 2, 3, ... */
export function checkHistory(migrations: readonly Migration[]): number {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`migration "${m.name}" has version ${m.version} at place ${i + 1}; versions are 1, 2, 3, ...`);
  });
  return migrations.length;
}

/** The refusal of a database whose schema is newer than this nas knows. */
export function newer(path: string, version: number, latest: number): StorageError {
  return new StorageError(
    'STORAGE_VERSION',
    `${path} has schema version ${version}, newer than this nas knows (${latest})`,
    UPGRADE_NAS,
  );
}

function notNas(path: string, why: string, cause?: unknown): StorageError {
  return new StorageError(
    'STORAGE_NOT_NAS',
    `${path} is not a nas database: ${why}`,
    'point nas at its own database file (or a path that does not exist yet: nas creates it); nas never writes into other files',
    cause === undefined ? undefined : { cause },
  );
}
