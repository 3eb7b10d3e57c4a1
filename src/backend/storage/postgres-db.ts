import pg from 'pg';
import { StorageMisuseError } from './errors.js';
import {
  connectionLost,
  pgCode,
  rolledBack,
  unreachable,
  writeRefusal,
  type PostgresPlace,
} from './postgres-errors.js';
import { postgresText, type SqlSession } from './sql-session.js';
import type { SqlDatabase } from './sql-storage.js';

/** How often and how patiently a call is retried when the connection is lost (docs/storage.md, *PostgreSQL*). */
export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly attempts: number;
  /** The wait before the second try; each later wait doubles, up to `maxDelayMs`. */
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
}

/** 20 tries over about 31 s of waits: a server restart is ridden out, a server that stays down stops the search. */
export const RETRY: RetryPolicy = { attempts: 20, firstDelayMs: 100, maxDelayMs: 2000 };

const INT8 = 20;
const JSON_TYPES = new Set([114, 3802]);

/** BIGINT as a number (ids, times: safe integers), JSON as its text (the rows are decoded as SQLite's are). */
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8) return Number;
    if (JSON_TYPES.has(oid)) return (text: string) => text;
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

/** A connection pool for the storage: one connection (calls run one at a time), remade when it is lost. */
export function storagePool(url: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: 1,
    types: TYPES,
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
    allowExitOnIdle: true,
    application_name: 'nas',
  });
  // A connection cut while idle (a server restart) is reported as an event; the next call finds out and retries.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** Names of the prepared statements, by SQL text: each is parsed and planned once per connection. */
const STATEMENTS = new Map<string, string>();

function statement(text: string, params: readonly unknown[]): pg.QueryConfig {
  let name = STATEMENTS.get(text);
  if (name === undefined) STATEMENTS.set(text, (name = `nas_${STATEMENTS.size + 1}`));
  return { name, text, values: params as unknown[] };
}

/**
 * Queries on one connection, in the shared SQL of sql-session.ts (`?` parameters, numbered here;
 * SQL written for PostgreSQL alone may use `$1` directly). Write calls run inside the storage's
 * transaction ({@link PgDb.write}), so {@link Sql.transaction} just runs its body.
 */
export class Sql implements SqlSession {
  constructor(private readonly client: pg.PoolClient) {}

  async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.client.query(statement(postgresText(sql), params))).rows as T[];
  }

  async get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  /** Runs a statement; returns the number of rows it changed. */
  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return (await this.client.query(statement(postgresText(sql), params))).rowCount ?? 0;
  }

  /** Runs statements without parameters (several, separated by semicolons). */
  async exec(sql: string): Promise<void> {
    await this.client.query(sql);
  }

  transaction<T>(body: () => Promise<T>): Promise<T> {
    return body();
  }

  lock(strength: 'UPDATE' | 'NO KEY UPDATE'): string {
    return `FOR ${strength}`;
  }

  violated(error: unknown): 'unique' | 'foreign-key' | undefined {
    const code = pgCode(error);
    return code === '23505' ? 'unique' : code === '23503' ? 'foreign-key' : undefined;
  }
}

/** Starts a transaction and gets its id; a standby has none to give (its writes then fail with 25006, a read-only refusal). */
const BEGIN = 'BEGIN; SELECT CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_xact_id()::text END AS xid';

/** A transaction whose COMMIT got no answer is still committing (its old session has not ended yet): ask again later. */
class StillCommitting extends Error {
  constructor(xid: string) {
    super(`transaction ${xid} is still committing`);
  }
}

/** What a write whose COMMIT got no answer left: its transaction id, to ask the server how it ended, and its result. */
interface Unanswered<T> {
  readonly xid: string;
  readonly result: T;
}

/**
 * The storage's database: calls run one at a time in call order ({@link PgDb.serial}); reads and
 * write transactions that lose their connection are retried on a new one (a bounded number of
 * times, with backoff). A write is retried only when it is known not to have committed: it failed
 * before its COMMIT, or its COMMIT got no answer and the server says the transaction aborted
 * (pg_xact_status). A write that committed is never run twice.
 */
export class PgDb implements SqlDatabase {
  private tail: Promise<unknown> = Promise.resolve();
  /**
   * Since when and over how many tries the server was out of reach, once a call ran out of tries,
   * until a call gets through: calls meanwhile try once (their error counts from the start), so that a
   * search stopping on a server that stays gone (its status, its lease) ends without waiting out all
   * the tries again for each write.
   */
  private gone: { readonly since: number; readonly tries: number } | undefined;

  constructor(
    private readonly pool: pg.Pool,
    readonly place: PostgresPlace,
    readonly readonly: boolean,
    private readonly retry: RetryPolicy,
  ) {}

  /** Runs `operation` after every operation queued before it has settled. */
  serial<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.tail.then(operation);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** How messages name the database: its URL without the password. */
  get where(): string {
    return this.place.where;
  }

  /** Runs `body` on one connection, without a transaction. */
  read<T>(body: (s: SqlSession) => Promise<T>): Promise<T> {
    return this.retrying(async () => this.withClient((client) => body(new Sql(client))));
  }

  /** Runs `body` in one transaction: it commits whole or not at all. */
  write<T>(body: (s: SqlSession) => Promise<T>): Promise<T> {
    if (this.readonly)
      return Promise.reject(new StorageMisuseError('READONLY', `${this.place.where} is open read-only`));
    let unanswered: Unanswered<T> | undefined;
    const attempts = this.retrying(() =>
      this.withClient(async (client) => {
        if (unanswered !== undefined) {
          if (await this.committed(client, unanswered.xid)) return unanswered.result;
          unanswered = undefined;
        }
        // Cast: pg types a query's result as one QueryResult, though a multi-statement query gives one per statement.
        const begin = (await client.query(BEGIN)) as unknown as pg.QueryResult<{ xid: string }>[];
        const xid = begin[1]?.rows[0]?.xid as string;
        let result: T;
        try {
          result = await body(new Sql(client));
        } catch (error) {
          if (!connectionLost(error)) await client.query('ROLLBACK');
          throw error;
        }
        try {
          await client.query('COMMIT');
        } catch (error) {
          if (connectionLost(error)) unanswered = { xid, result };
          throw error;
        }
        return result;
      }),
    );
    return attempts.catch((error: unknown) => {
      throw writeRefusal(this.place, error) ?? error;
    });
  }

  /** Whether the transaction `xid`, whose COMMIT got no answer, committed (true) or aborted (false); still committing is retried. */
  private async committed(client: pg.PoolClient, xid: string): Promise<boolean> {
    const status = (await client.query<{ status: string | null }>('SELECT pg_xact_status($1::xid8) AS status', [xid]))
      .rows[0]?.status;
    if (status === 'in progress') throw new StillCommitting(xid);
    if (status !== 'committed' && status !== 'aborted')
      throw new Error(
        `PostgreSQL cannot tell whether transaction ${xid} on ${this.place.where} committed (status ${status})`,
      );
    return status === 'committed';
  }

  /** Ends the pool's connection. */
  async close(): Promise<void> {
    await this.pool.end();
  }

  /** Runs `body` with a pooled connection; a connection that failed is dropped from the pool, not reused. */
  private async withClient<T>(body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      const result = await body(client);
      client.release();
      return result;
    } catch (error) {
      client.release(connectionLost(error) ? (error as Error) : undefined);
      throw error;
    }
  }

  /** Runs `attempt` until it does not fail on a lost connection, at most {@link RetryPolicy.attempts} times (once while the server is gone). */
  private async retrying<T>(attempt: () => Promise<T>): Promise<T> {
    const started = this.gone?.since ?? Date.now();
    const before = this.gone?.tries ?? 0;
    const attempts = this.gone === undefined ? this.retry.attempts : 1;
    let delay = this.retry.firstDelayMs;
    for (let n = 1; ; n++) {
      try {
        const result = await attempt();
        this.gone = undefined;
        return result;
      } catch (error) {
        if (!connectionLost(error) && !rolledBack(error) && !(error instanceof StillCommitting)) throw error;
        if (n >= attempts) {
          this.gone = { since: started, tries: before + n };
          throw unreachable(this.place, error, before + n, Date.now() - started);
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(2 * delay, this.retry.maxDelayMs);
      }
    }
  }
}
