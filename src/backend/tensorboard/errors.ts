/** A record the event writer refuses (a caller's bug): the message names the file, the record and the field. */
export class EventInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventInputError';
  }
}

/** An event file (or its folder) the disk would not create or write; `code` is node's (ENOSPC, EROFS, EACCES, …). */
export class EventFileError extends Error {
  readonly code: string | undefined;
  readonly file: string;

  constructor(file: string, cause: unknown, what = 'cannot write TensorBoard event file') {
    const code = (cause as { code?: unknown } | null)?.code;
    super(`${what} ${file}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'EventFileError';
    this.code = typeof code === 'string' ? code : undefined;
    this.file = file;
  }
}

/** The given value as the error message shows it. */
export function shown(value: unknown): string {
  if (typeof value === 'number' || value === undefined) return String(value);
  return JSON.stringify(value) ?? String(value);
}
