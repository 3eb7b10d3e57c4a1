import { acquiredClaim, checkClaim, staleReason, takenLease } from './lease-rules.js';
import { unknownExperiment } from './rules.js';
import type { SqlSession } from './sql-session.js';
import type { ExperimentLease, LeaseClaim, LeaseClaimant } from './storage.js';

// The owner-lease operations of the SQLite and PostgreSQL storages (sql-session.ts).

interface LeaseRow {
  readonly host: string;
  readonly pid: number;
  readonly token: string;
  readonly started_at: number;
  readonly heartbeat_at: number;
}

// Takes the lease when there is no row, or when the row is still the stale one the claimant judged.
const CLAIM = `INSERT INTO leases (experiment_id, host, pid, token, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (experiment_id) DO UPDATE SET host = excluded.host, pid = excluded.pid, token = excluded.token,
  started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at WHERE leases.token = ?`;

/**
 * Claims the lease in one write transaction, so that processes claiming at once are served one after
 * the other, each judging the lease as the one before left it: SQLite's BEGIN IMMEDIATE holds the
 * write lock from the read to the write; PostgreSQL locks the experiment's row (FOR NO KEY UPDATE).
 */
export function claimLease(
  s: SqlSession,
  experimentId: number,
  claimant: LeaseClaimant,
  staleAfterMs: number,
  clock: () => number,
): Promise<LeaseClaim> {
  checkClaim(claimant, staleAfterMs);
  return s.transaction(async () => {
    const experiment = await s.get(`SELECT 1 FROM experiments WHERE id = ? ${s.lock('NO KEY UPDATE')}`, [experimentId]);
    if (experiment === undefined) throw unknownExperiment(experimentId);
    const now = clock(); // under the lock: a claim that waited for another one judges at its own time
    const holder = await readLeaseRow(s, experimentId);
    const why = holder === undefined ? undefined : staleReason(holder, claimant, now, staleAfterMs);
    if (holder !== undefined && why === undefined) return { acquired: false, holder, checkedAt: now };
    const params = [experimentId, claimant.host, claimant.pid, claimant.token, now, now, holder?.token ?? null];
    if ((await s.run(CLAIM, params)) !== 1)
      throw new Error(`the lease of experiment ${experimentId} changed under the lock`);
    return acquiredClaim(takenLease(claimant, now), holder, why);
  });
}

/** Stamps the heartbeat if `token` holds the lease. */
export async function renewLeaseRow(s: SqlSession, experimentId: number, token: string, now: number): Promise<boolean> {
  const changes = await s.run('UPDATE leases SET heartbeat_at = ? WHERE experiment_id = ? AND token = ?', [
    now,
    experimentId,
    token,
  ]);
  return changes === 1;
}

/** Deletes the lease if `token` holds it. */
export async function releaseLeaseRow(s: SqlSession, experimentId: number, token: string): Promise<boolean> {
  return (await s.run('DELETE FROM leases WHERE experiment_id = ? AND token = ?', [experimentId, token])) === 1;
}

/** The lease row, if any. */
export async function readLeaseRow(s: SqlSession, experimentId: number): Promise<ExperimentLease | undefined> {
  const row = await s.get<LeaseRow>(
    'SELECT host, pid, token, started_at, heartbeat_at FROM leases WHERE experiment_id = ?',
    [experimentId],
  );
  return row === undefined
    ? undefined
    : { host: row.host, pid: row.pid, token: row.token, startedAt: row.started_at, heartbeatAt: row.heartbeat_at };
}
