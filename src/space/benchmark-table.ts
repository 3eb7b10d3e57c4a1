import { readFileSync } from 'node:fs';
import type { Json } from '../core/arch.js';
import { UserError } from '../core/errors.js';
import type { SearchSpace } from './search-space.js';
import { benchmarkIndexOf, type Nb201Sample } from './spaces/nb201/index.js';

/** A tabular benchmark: per architecture (by canonical key), its metrics; read from `index,arch,<metrics…>` CSV. */
export interface BenchmarkTable {
  readonly source: string;
  /** The metric columns, in file order. */
  readonly metrics: readonly string[];
  /** Number of architectures (rows). */
  readonly size: number;
  /** The metrics of an architecture by canonical key; undefined when the table lacks it. */
  lookup(key: string): Readonly<Record<string, number>> | undefined;
  /** The largest finite value of a metric column. */
  max(metric: string): number;
}

const tableError = (source: string, line: number, message: string): UserError =>
  new UserError(
    'TABLE',
    `${source}:${line}: ${message}`,
    "a table is CSV with the header `index,arch,<metric columns>`, one architecture per row in the benchmark's index order and string form",
  );

/**
 * Parses a benchmark table for `space`: every `arch` must parse as a sample of the space (its
 * `parse`, e.g. NAS-Bench-201's `|op~0|+|…|`), appear once, and for nb201 sit at its benchmark index.
 * Empty metric cells become NaN. Throws a {@link UserError} naming the file and line of the first problem.
 */
export function parseBenchmarkTable(text: string, space: SearchSpace, source: string): BenchmarkTable {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  if (header[0] !== 'index' || header[1] !== 'arch' || header.length < 3) {
    throw tableError(source, 1, `expected the header "index,arch,<metric>[,<metric>…]", got "${lines[0] ?? ''}"`);
  }
  const metrics = header.slice(2);
  const rows = new Map<string, Readonly<Record<string, number>>>();
  lines.forEach((line, i) => {
    if (i === 0 || line.trim() === '') return;
    const cells = line.split(',');
    if (cells.length !== header.length)
      throw tableError(source, i + 1, `expected ${header.length} cells, got ${cells.length}`);
    const index = Number(cells[0]);
    let sample: Json;
    try {
      sample = space.parse((cells[1] as string).trim());
    } catch (e) {
      throw tableError(source, i + 1, (e as Error).message);
    }
    if (space.id === 'nb201' && benchmarkIndexOf(sample as Nb201Sample) !== index) {
      throw tableError(
        source,
        i + 1,
        `index ${cells[0]} does not match the architecture, whose benchmark index is ${benchmarkIndexOf(sample as Nb201Sample)}`,
      );
    }
    const key = space.key(sample);
    if (rows.has(key)) throw tableError(source, i + 1, `architecture ${cells[1]} appears twice`);
    const values = metrics.map((m, j) => {
      const raw = (cells[j + 2] as string).trim();
      const v = raw === '' ? Number.NaN : Number(raw);
      if (raw !== '' && Number.isNaN(v))
        throw tableError(source, i + 1, `column ${m}: expected a number, got "${raw}"`);
      return [m, v] as const;
    });
    rows.set(key, Object.fromEntries(values));
  });
  const maxima = new Map<string, number>();
  return {
    source,
    metrics,
    size: rows.size,
    lookup: (key) => rows.get(key),
    max(metric) {
      if (!metrics.includes(metric))
        throw new UserError(
          'TABLE',
          `${source} has no column "${metric}"`,
          `its metric columns: ${metrics.join(', ')}`,
        );
      let m = maxima.get(metric);
      if (m === undefined) {
        m = Math.max(...[...rows.values()].map((r) => r[metric] as number).filter(Number.isFinite));
        maxima.set(metric, m);
      }
      return m;
    },
  };
}

/** Reads a benchmark table file (see {@link parseBenchmarkTable}). */
export function readBenchmarkTable(path: string, space: SearchSpace): BenchmarkTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(
      'TABLE',
      `cannot read the benchmark table ${path}: ${(e as Error).message}`,
      'pass the path of your copy of the benchmark table (CSV)',
    );
  }
  return parseBenchmarkTable(text, space, path);
}
