// What PostgreSQL and the network say when something goes wrong, sorted into what the storage does
// about it: retry on a new connection, or tell the user what to fix (docs/storage.md, *PostgreSQL*).
import { STORAGE_UNREACHABLE, diskRefusal, type DiskRefusal } from './disk-refusal.js';
import { StorageError } from './errors.js';

/** Where the storage's server is: `where` names the database (its URL without the password), `server` is host:port. */
export interface PostgresPlace {
  readonly where: string;
  readonly server: string;
  readonly user: string;
  readonly database: string;
}

/** Socket errors of a connection that could not be made or was cut (ENOENT: no Unix socket where the URL's host folder says). */
const NETWORK = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** SQLSTATEs of a server that ended the session: admin_shutdown (a fast stop), crash_shutdown, cannot_connect_now (starting or stopping). */
const SERVER_GONE = new Set(['57P01', '57P02', '57P03']);

/** SQLSTATEs of a transaction the server rolled back on its own, which may simply run again: serialization_failure, deadlock_detected. */
const ROLLED_BACK = new Set(['40001', '40P01']);

/** The messages node-postgres gives a connection that ended or timed out (they carry no code). */
const CONNECTION_ENDED =
  /^(Connection terminated|Client has encountered a connection error|Client was closed and is not queryable|timeout exceeded when trying to connect|Connection ended unexpectedly)/;

/** The SQLSTATE of a server error ('23505', ...), if it is one. */
export function pgCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** Whether `error` means the connection failed or was cut (or the server is shutting down): the call may be retried on a new one. */
export function connectionLost(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (NETWORK.has(code) || SERVER_GONE.has(code) || code.startsWith('08'))) return true;
  return error instanceof Error && CONNECTION_ENDED.test(error.message);
}

/** Whether the server rolled the transaction back by itself (a deadlock, a serialization failure): it may run again. */
export function rolledBack(error: unknown): boolean {
  return ROLLED_BACK.has(pgCode(error) ?? '');
}

/** The server could not be reached for `ms` over `attempts` tries: the search stops resumably on it (disk-refusal.ts). */
export function unreachable(place: PostgresPlace, cause: unknown, attempts: number, ms: number): DiskRefusal {
  return new StorageError(
    STORAGE_UNREACHABLE,
    `cannot reach PostgreSQL at ${place.server} (${causeText(cause)}; ${attempts} ${attempts === 1 ? 'try' : 'tries'} over ${(ms / 1000).toFixed(1)} s)`,
    'start the PostgreSQL server, or restore the network to it',
    { cause },
  ) as DiskRefusal;
}

/** A write the server refused for good as a {@link DiskRefusal}: its disk is full (53100), or it takes no writes (25006: a standby, or a read-only database). */
export function writeRefusal(place: PostgresPlace, error: unknown): DiskRefusal | undefined {
  const code = pgCode(error);
  if (code === '25006')
    return diskRefusal(
      `cannot write ${place.where}`,
      error,
      'point nas at a database that takes writes (the primary server, not a standby; not set read-only)',
    );
  return diskRefusal(`cannot write ${place.where}`, error, "free space on the database server's disk");
}

/** A connection that failed while opening the storage, as a {@link StorageError} saying what to fix; undefined for any other error. */
export function openFailure(place: PostgresPlace, error: unknown): StorageError | undefined {
  const code = pgCode(error);
  const message = (error as Error).message;
  if (code === '28P01' || code === '28000' || /\bpassword\b|\bSASL\b/.test(message)) {
    const why = /password must be a string/.test(message) ? 'it asks for a password and the URL gives none' : message;
    return new StorageError(
      'STORAGE_AUTH',
      `PostgreSQL at ${place.server} refused user "${place.user}": ${why}`,
      "check the user and password in the URL (postgres://user:password@host:port/database) and the server's pg_hba.conf",
      { cause: error },
    );
  }
  if (code === '3D000') {
    const [host, port] = splitServer(place.server);
    return new StorageError(
      'STORAGE_MISSING',
      `there is no database "${place.database}" on PostgreSQL at ${place.server}`,
      `create it (\`createdb -h ${host} -p ${port} -U ${place.user} ${place.database}\`, or CREATE DATABASE in psql), or fix the database name in the URL`,
      { cause: error },
    );
  }
  if (connectionLost(error)) {
    return new StorageError(
      STORAGE_UNREACHABLE,
      `cannot reach PostgreSQL at ${place.server} (${causeText(error)})`,
      'start the server (e.g. `pg_ctl start -D <data folder>`, or the system service), or fix the host and port in the URL',
      { cause: error },
    );
  }
  return undefined;
}

function causeText(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && !/^[0-9]/.test(code) ? code : (error as Error).message;
}

function splitServer(server: string): [string, string] {
  const at = server.lastIndexOf(':');
  return [server.slice(0, at), server.slice(at + 1)];
}
