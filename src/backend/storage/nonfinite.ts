// SQLite stores NaN as NULL, and JSON has no NaN or Infinity at all. A row therefore keeps its
// numbers' kinds beside them: every non-finite number is written as NULL (in a REAL column, or
// inside a JSON column), and the row's `nonfinite` column lists where each one was and which it
// was, as JSON: [[kind, column, ...path], ...], e.g. [["NaN", "metrics", "loss"]]. NULL when none.

/** The three numbers JSON and SQLite cannot hold. */
export type NonFiniteKind = 'NaN' | 'Infinity' | '-Infinity';

type Step = string | number;
type Entry = [NonFiniteKind, string, ...Step[]];

const VALUE: Readonly<Record<NonFiniteKind, number>> = { NaN: Number.NaN, Infinity: Infinity, '-Infinity': -Infinity };

function kindOf(x: number): NonFiniteKind {
  if (Number.isNaN(x)) return 'NaN';
  return x > 0 ? 'Infinity' : '-Infinity';
}

/** Collects the non-finite numbers of one row while its columns are encoded. */
export class NonFiniteWriter {
  private readonly entries: Entry[];

  /** `existing`: the row's `nonfinite` column so far, when more of its columns are being filled in. */
  constructor(existing: string | null = null) {
    this.entries = existing === null ? [] : (JSON.parse(existing) as Entry[]);
  }

  /** A REAL column's value: the number, or null where it is not finite (recorded). */
  real(column: string, value: number | undefined): number | null {
    if (value === undefined) return null;
    if (Number.isFinite(value)) return value;
    this.entries.push([kindOf(value), column]);
    return null;
  }

  /** A JSON column's text (null for undefined); non-finite numbers inside become null (recorded). */
  json(column: string, value: unknown): string | null {
    if (value === undefined) return null;
    this.collect(value, [column]);
    return JSON.stringify(value);
  }

  /** The row's `nonfinite` column. */
  column(): string | null {
    return this.entries.length === 0 ? null : JSON.stringify(this.entries);
  }

  private collect(value: unknown, at: [string, ...Step[]]): void {
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) this.entries.push([kindOf(value), ...at]);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => this.collect(item, [...at, i]));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) this.collect(item, [...at, key]);
    }
  }
}

/** Decodes one row's columns, putting its non-finite numbers back. */
export class NonFiniteReader {
  private readonly entries: readonly Entry[];

  constructor(nonfinite: string | null) {
    this.entries = nonfinite === null ? [] : (JSON.parse(nonfinite) as Entry[]);
  }

  /** A REAL column's value (null stays null unless the row recorded a non-finite number there). */
  real(column: string, value: number | null): number | null {
    if (value !== null) return value;
    const entry = this.entries.find((e) => e.length === 2 && e[1] === column);
    return entry === undefined ? null : VALUE[entry[0]];
  }

  /** A JSON column's value. */
  json<T>(column: string, text: string): T {
    let root = JSON.parse(text) as unknown;
    for (const [kind, col, ...path] of this.entries) {
      if (col === column) root = put(root, path, VALUE[kind]);
    }
    return root as T;
  }
}

function put(root: unknown, path: readonly Step[], value: number): unknown {
  if (path.length === 0) return value;
  let node = root as Record<Step, unknown>;
  for (const step of path.slice(0, -1)) node = node[step] as Record<Step, unknown>;
  Object.defineProperty(node, path[path.length - 1] as Step, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
  return root;
}
