import { checkClaim, staleReason } from './lease-rules.js';
import type { Sql } from './postgres-db.js';
import { unknownExperiment } from './rules.js';
import type { ExperimentLease, LeaseClaim, LeaseClaimant } from './storage.js';

// The owner-lease operations of the PostgreSQL storage. Writes run inside the storage's transaction.

interface LeaseRow {
  readonly host: string;
  readonly pid: number;
  readonly token: string;
  readonly started_at: number;
  readonly heartbeat_at: number;
}

// Takes the lease when there is no row, or when the row is still the stale one the claimant judged.
const CLAIM = `INSERT INTO leases (experiment_id, host, pid, token, started_at, heartbeat_at) VALUES ($1, $2, $3, $4, $5, $5)
  ON CONFLICT (experiment_id) DO UPDATE SET host = excluded.host, pid = excluded.pid, token = excluded.token,
  started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at WHERE leases.token = $6`;

/**
 * Claims the lease (inside the storage's transaction). The experiment's row is locked first (FOR NO
 * KEY UPDATE), so that processes claiming at once are served one after the other, each judging
 * the lease as the one before left it.
 */
export async function claimLease(
  sql: Sql,
  experimentId: number,
  claimant: LeaseClaimant,
  staleAfterMs: number,
  clock: () => number,
): Promise<LeaseClaim> {
  checkClaim(claimant, staleAfterMs);
  if ((await sql.get('SELECT 1 FROM experiments WHERE id = $1 FOR NO KEY UPDATE', [experimentId])) === undefined)
    throw unknownExperiment(experimentId);
  const now = clock(); // under the lock: a claim that waited for another one judges at its own time
  const holder = await readLeaseRow(sql, experimentId);
  const why = holder === undefined ? undefined : staleReason(holder, claimant, now, staleAfterMs);
  if (holder !== undefined && why === undefined) return { acquired: false, holder, checkedAt: now };
  const changes = await sql.run(CLAIM, [
    experimentId,
    claimant.host,
    claimant.pid,
    claimant.token,
    now,
    holder?.token ?? null,
  ]);
  if (changes !== 1) throw new Error(`the lease of experiment ${experimentId} changed under the lock`);
  const lease: ExperimentLease = {
    host: claimant.host,
    pid: claimant.pid,
    token: claimant.token,
    startedAt: now,
    heartbeatAt: now,
  };
  return holder === undefined || why === undefined
    ? { acquired: true, lease }
    : { acquired: true, lease, takenOver: { previous: holder, why } };
}

/** Stamps the heartbeat if `token` holds the lease. */
export async function renewLeaseRow(sql: Sql, experimentId: number, token: string, now: number): Promise<boolean> {
  return (
    (await sql.run('UPDATE leases SET heartbeat_at = $1 WHERE experiment_id = $2 AND token = $3', [
      now,
      experimentId,
      token,
    ])) === 1
  );
}

/** Deletes the lease if `token` holds it. */
export async function releaseLeaseRow(sql: Sql, experimentId: number, token: string): Promise<boolean> {
  return (await sql.run('DELETE FROM leases WHERE experiment_id = $1 AND token = $2', [experimentId, token])) === 1;
}

/** The lease row, if any. */
export async function readLeaseRow(sql: Sql, experimentId: number): Promise<ExperimentLease | undefined> {
  const row = await sql.get<LeaseRow>(
    'SELECT host, pid, token, started_at, heartbeat_at FROM leases WHERE experiment_id = $1',
    [experimentId],
  );
  return row === undefined
    ? undefined
    : { host: row.host, pid: row.pid, token: row.token, startedAt: row.started_at, heartbeatAt: row.heartbeat_at };
}
