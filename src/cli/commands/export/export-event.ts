// The `export` event: `nas export` records each export in the experiment's event log, so that
// `nas report` and `nas show --json` list the exported models with their measured variants.
import { StorageError, type Storage } from '../../../backend/storage/index.js';
import type { ExportInput } from './export-input.js';
import type { Variant } from './variants.js';
import { writeStorage } from '../../../run/experiment-data.js';

export const EXPORT_EVENT = 'export';

/** What an `export` event stores: the content of the export's variants.json and its folder. */
export type ExportPayload = {
  readonly trial: number;
  /** The export folder, an absolute path. */
  readonly out: string;
  readonly input: ExportInput;
  /** In the order written; the first is the reference the report compares the others with. */
  readonly variants: readonly Variant[];
  readonly accuracyNote?: string;
};

/** An export as stored: its payload and when it was recorded (ms since 1970). */
export type ExportRecord = ExportPayload & { readonly at: number };

/**
 * Appends the `export` event of experiment `experimentId` to SQLite file `file`. A storage that
 * cannot be written is a {@link StorageError} saying that the files were written but not recorded.
 */
export async function recordExport(file: string, experimentId: number, payload: ExportPayload): Promise<void> {
  try {
    await writeStorage(file, (storage) => storage.appendEvent(experimentId, { type: EXPORT_EVENT, payload }));
  } catch (error) {
    if (!isStorageFailure(error)) throw error;
    const fix =
      error instanceof StorageError && error.hint !== undefined
        ? error.hint
        : 'check that the storage file and its folder are writable, the disk has room and no other process keeps the file locked';
    throw new StorageError(
      'EXPORT_NOT_RECORDED',
      `exported trial ${payload.trial} to ${payload.out}, but could not record the export in ${file}: ${(error as Error).message}`,
      `${fix}; then run \`nas export\` again (the exported files are complete, but \`nas report\` lists only recorded exports)`,
      { cause: error },
    );
  }
}

/** The experiment's recorded exports, newest first; malformed payloads are left out. */
export async function listExports(storage: Storage, experimentId: number): Promise<ExportRecord[]> {
  const events = await storage.listEvents(experimentId, { type: EXPORT_EVENT });
  return events.flatMap((e) => (isExportPayload(e.payload) ? [{ ...e.payload, at: e.at }] : [])).reverse();
}

function isExportPayload(payload: unknown): payload is ExportPayload {
  const p = payload as Partial<Record<keyof ExportPayload, unknown>> | null;
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.trial === 'number' &&
    typeof p.out === 'string' &&
    Array.isArray(p.variants) &&
    p.variants.every(isVariant)
  );
}

function isVariant(value: unknown): value is Variant {
  const v = value as Partial<Record<keyof Variant, unknown>> | null;
  const numberOrNull = (x: unknown) => x === null || typeof x === 'number';
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.format === 'string' &&
    typeof v.path === 'string' &&
    [v.bytes, v.params, v.macs].every((x) => typeof x === 'number') &&
    numberOrNull(v.latencyMs) &&
    numberOrNull(v.accuracy)
  );
}

/** A storage the user can fix (not a nas file, a newer schema) or SQLite refusing the write (read-only, locked, disk full). */
function isStorageFailure(error: unknown): boolean {
  return (
    error instanceof StorageError ||
    (error instanceof Error && /^SQLITE_/.test(String((error as { code?: unknown }).code)))
  );
}
