// Writes the disk refused: no space left, or a read-only disk, folder or file. SQLite says
// SQLITE_FULL or SQLITE_READONLY, PostgreSQL 53100 (disk_full) or 25006 (a read-only transaction: a
// standby, or a database set read-only), node's fs ENOSPC, EDQUOT, EROFS, EACCES or EPERM. A search
// that meets one stops resumably (docs/storage.md, *Disk full and read-only storage*): every later
// write would be refused the same way, so failing trial after trial would only lose them. A
// database server still out of reach after the storage's retries (STORAGE_UNREACHABLE,
// docs/storage.md, *PostgreSQL*) stops a search the same way.
import type { FailureReason } from '../../core/trial.js';
import { StorageError } from './errors.js';

/** The codes of a {@link StorageError} for a refused write, with the reason of a trial that failed on one. */
export const DISK_REFUSALS = { DISK_FULL: 'disk-full', READ_ONLY: 'read-only' } as const satisfies Readonly<
  Record<string, FailureReason>
>;

export type DiskRefusalCode = keyof typeof DISK_REFUSALS;

/** The code of a {@link StorageError} for a database server that cannot be reached (after retries). */
export const STORAGE_UNREACHABLE = 'STORAGE_UNREACHABLE';

/** A write the disk refused, or a database server out of reach, as the storage module reports it. */
export type DiskRefusal = StorageError & { readonly code: DiskRefusalCode | typeof STORAGE_UNREACHABLE };

const CODE_OF: Readonly<Record<string, DiskRefusalCode>> = {
  SQLITE_FULL: 'DISK_FULL',
  '53100': 'DISK_FULL',
  '25006': 'READ_ONLY',
  ENOSPC: 'DISK_FULL',
  EDQUOT: 'DISK_FULL',
  SQLITE_READONLY: 'READ_ONLY',
  EROFS: 'READ_ONLY',
  EACCES: 'READ_ONLY',
  EPERM: 'READ_ONLY',
};

const HINTS: Readonly<Record<DiskRefusalCode, string>> = {
  DISK_FULL: 'free space on that disk',
  READ_ONLY: 'make the folder writable, or keep the storage file on a writable disk',
};

/** `error` as a {@link StorageError} "<what>: disk full (ENOSPC)" when the disk refused a write; undefined for any other error. */
export function diskRefusal(
  what: string,
  error: unknown,
  hint?: string,
): (DiskRefusal & { readonly code: DiskRefusalCode }) | undefined {
  const cause = (error as { code?: unknown } | null)?.code;
  const code = typeof cause === 'string' ? CODE_OF[cause] : undefined;
  if (code === undefined) return undefined;
  return new StorageError(
    code,
    `${what}: ${code === 'DISK_FULL' ? 'disk full' : 'read-only'} (${cause as string})`,
    hint ?? HINTS[code],
    { cause: error },
  ) as DiskRefusal & { readonly code: DiskRefusalCode };
}

/** Whether `error` is a write the disk refused ({@link diskRefusal}), or a database server out of reach. */
export function isDiskRefusal(error: unknown): error is DiskRefusal {
  return (
    error instanceof StorageError && (Object.hasOwn(DISK_REFUSALS, error.code) || error.code === STORAGE_UNREACHABLE)
  );
}

/** The refusal a trial failed with (reason `disk-full` or `read-only`, its message from the worker); undefined for any other failure. */
export function trialRefusal(reason: FailureReason | undefined, message: string): DiskRefusal | undefined {
  const code = (Object.keys(DISK_REFUSALS) as DiskRefusalCode[]).find((c) => DISK_REFUSALS[c] === reason);
  return code === undefined ? undefined : (new StorageError(code, message, HINTS[code]) as DiskRefusal);
}

/** A search stopped by a refused write: what was refused, that nothing recorded is lost, and how to go on. */
export function searchStoppedBy(refusal: DiskRefusal, experiment: string): DiskRefusal {
  return new StorageError(
    refusal.code,
    `${refusal.message}; the search stopped, and every trial recorded before is kept`,
    `${refusal.hint ?? HINTS.DISK_FULL}, then continue with \`nas resume ${experiment}\``,
    { cause: refusal },
  ) as DiskRefusal;
}
