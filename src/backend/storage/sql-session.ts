// The one query layer of the SQLite and PostgreSQL storages: the operations (sql-trials.ts,
// sql-diagnostics.ts, sql-leases.ts) are written once against this interface, in one SQL text.

/**
 * The statements of one storage call on one connection. SQL is written once for both databases:
 * parameters are positional `?`, and may carry the PostgreSQL type that PostgreSQL cannot infer
 * (a parameter in a SELECT list: `?::json`). The PostgreSQL session numbers them ($1, $2, …) and
 * keeps the types; the SQLite session drops the types.
 */
export interface SqlSession {
  get<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a statement; returns the number of rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /**
   * Runs `body` as one write transaction. SQLite begins one (BEGIN IMMEDIATE); in PostgreSQL every
   * write call already is one (postgres-db.ts), so `body` just runs.
   */
  transaction<T>(body: () => Promise<T>): Promise<T>;
  /**
   * The clause that locks the rows a SELECT reads until the transaction ends (PostgreSQL's `FOR UPDATE`,
   * `FOR NO KEY UPDATE`); empty in SQLite, whose write transaction holds the whole file's write lock.
   */
  lock(strength: 'UPDATE' | 'NO KEY UPDATE'): string;
  /** The constraint a failed statement broke, if that is why it failed. */
  violated(error: unknown): 'unique' | 'foreign-key' | undefined;
}

const POSTGRES = new Map<string, string>();
const SQLITE = new Map<string, string>();

/** `sql` with its `?` parameters numbered `$1`, `$2`, … (their `::type` kept), as PostgreSQL takes them. */
export function postgresText(sql: string): string {
  let text = POSTGRES.get(sql);
  if (text === undefined) {
    let n = 0;
    POSTGRES.set(sql, (text = sql.replace(/\?/g, () => `$${++n}`)));
  }
  return text;
}

/** `sql` without the PostgreSQL types of its parameters (`?::json` → `?`), as SQLite takes it. */
export function sqliteText(sql: string): string {
  let text = SQLITE.get(sql);
  if (text === undefined) SQLITE.set(sql, (text = sql.replace(/\?::\w+(\[\])?/g, '?')));
  return text;
}
