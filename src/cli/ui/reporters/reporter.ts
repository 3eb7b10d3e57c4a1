import type { RunEvent } from '../../../core/events.js';

/** Where a search's events go: the dashboard, plain lines or JSON lines. */
export interface Reporter {
  /** Takes one event of the driver (synchronous; never throws for a well-formed event). */
  emit(event: RunEvent): void;
  /** Shows the final state, releases the terminal and resolves once everything is written. */
  close(): Promise<void>;
}

/** A stream reporters write to (process.stdout, or a collecting Writable in tests). */
export type LineStream = NodeJS.WritableStream & { readonly writableNeedDrain?: boolean };

/** Resolves once `stream` has flushed what it buffered (it is not ended: it may be stdout). */
export async function drained(stream: LineStream): Promise<void> {
  if (stream.writableNeedDrain !== true) return;
  await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
}
