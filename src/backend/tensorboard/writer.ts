// A trial's TensorBoard event file (docs/tensorboard.md): records are kept in memory until flush(),
// which appends them in one write, so a killed process leaves a file that reads whole up to its
// last flush (at worst with a torn last record, which readers stop at).
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EventFileError, EventInputError, shown } from './errors.js';
import { fileVersionEvent, histogramEvent, scalarEvent } from './event-proto.js';
import { histogramProto, type BinnedHistogram, type ValuesHistogram } from './histogram.js';
import { tfRecord } from './tfrecord.js';

export type ScalarRecord = { readonly tag: string; readonly step: number; readonly value: number };

export type HistogramRecord = { readonly tag: string; readonly step: number } & (BinnedHistogram | ValuesHistogram);

export type EventWriterOptions = {
  /** The clock of the records' wall_time, in seconds since the Unix epoch (default: Date.now() / 1000). */
  readonly now?: () => number;
};

/** `events.out.tfevents.<unix seconds, 10 digits>.<hostname>.<pid>`, the name TensorBoard looks for. */
export function eventFileName(wallTime: number, hostname = os.hostname(), pid = process.pid): string {
  return `events.out.tfevents.${String(Math.floor(wallTime)).padStart(10, '0')}.${hostname}.${pid}`;
}

/** One new event file in a run directory, written incrementally: add records, flush() after each epoch, close(). */
export class EventFileWriter {
  private pending: Buffer[] = [];
  private fd: number | undefined;

  private constructor(
    /** The event file's path. */
    readonly file: string,
    fd: number,
    private readonly now: () => number,
  ) {
    this.fd = fd;
  }

  /**
   * Creates `dir` if needed and a new event file in it, never appending to an existing one (a name
   * already taken gets `.1`, `.2`, …); the file holds its version record when this returns.
   */
  static open(dir: string, options: EventWriterOptions = {}): EventFileWriter {
    const now = options.now ?? ((): number => Date.now() / 1000);
    const wallTime = now();
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw new EventFileError(dir, error, 'cannot create the TensorBoard run folder');
    }
    const { file, fd } = createFile(dir, eventFileName(wallTime));
    const writer = new EventFileWriter(file, fd, now);
    writer.pending.push(tfRecord(fileVersionEvent(wallTime)));
    writer.flush();
    return writer;
  }

  /** A scalar, stored as float32; NaN and ±Infinity are written as they are (a diverged loss). */
  addScalar(record: ScalarRecord): void {
    const where = this.where('scalar', record);
    if (typeof record.value !== 'number')
      throw new EventInputError(`${where}: value must be a number, got ${shown(record.value)}`);
    this.add(scalarEvent(this.now(), record.step, record.tag, record.value));
  }

  /** A histogram, from equal-width bins or from the values (docs/tensorboard.md, *Histograms*). */
  addHistogram(record: HistogramRecord): void {
    const where = this.where('histogram', record);
    this.add(histogramEvent(this.now(), record.step, record.tag, histogramProto(record, where)));
  }

  /** Appends the records added since the last flush to the file (handed to the OS, not fsynced). */
  flush(): void {
    const fd = this.open();
    const data = Buffer.concat(this.pending);
    this.pending = [];
    try {
      for (let at = 0; at < data.length;) at += writeSync(fd, data, at);
    } catch (error) {
      throw new EventFileError(this.file, error);
    }
  }

  /** Flushes and closes the file; closing again does nothing. */
  close(): void {
    if (this.fd === undefined) return;
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }

  private add(event: Buffer): void {
    this.open();
    this.pending.push(tfRecord(event));
  }

  private open(): number {
    if (this.fd === undefined) throw new Error(`${this.file}: the event writer is closed`);
    return this.fd;
  }

  /** "<file>: <kind> '<tag>' at step <n>", after checking the tag and the step. */
  private where(kind: string, record: { readonly tag: unknown; readonly step: unknown }): string {
    const { tag, step } = record;
    if (typeof tag !== 'string' || tag === '')
      throw new EventInputError(`${this.file}: ${kind} tag must be a non-empty string, got ${shown(tag)}`);
    const where = `${this.file}: ${kind} '${tag}'`;
    if (!Number.isSafeInteger(step) || (step as number) < 0)
      throw new EventInputError(`${where}: step must be an integer ≥ 0, got ${shown(step)}`);
    return `${where} at step ${step as number}`;
  }
}

function createFile(dir: string, name: string): { file: string; fd: number } {
  for (let n = 0; ; n++) {
    const file = path.join(dir, n === 0 ? name : `${name}.${n}`);
    try {
      return { file, fd: openSync(file, 'wx') };
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EEXIST') throw new EventFileError(file, error);
    }
  }
}

/** Writes all the records into a new event file of `dir` at once; returns the file's path. */
export function writeTrialEvents(
  dir: string,
  records: { readonly scalars?: readonly ScalarRecord[]; readonly histograms?: readonly HistogramRecord[] },
  options: EventWriterOptions = {},
): string {
  const writer = EventFileWriter.open(dir, options);
  try {
    for (const s of records.scalars ?? []) writer.addScalar(s);
    for (const h of records.histograms ?? []) writer.addHistogram(h);
  } finally {
    writer.close();
  }
  return writer.file;
}
