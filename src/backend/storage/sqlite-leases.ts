import { checkClaim, staleReason } from './lease-rules.js';
import { unknownExperiment } from './rules.js';
import { sqliteCode, type Db } from './sqlite-db.js';
import type { ExperimentLease, LeaseClaim, LeaseClaimant } from './storage.js';

// The owner-lease operations of the SQLite storage. Each runs inside the storage's serial queue.

interface LeaseRow {
  readonly host: string;
  readonly pid: number;
  readonly token: string;
  readonly started_at: number;
  readonly heartbeat_at: number;
}

// Takes the lease when there is no row, or when the row is still the stale one the claimant judged.
const CLAIM = `INSERT INTO leases (experiment_id, host, pid, token, started_at, heartbeat_at) VALUES ($experiment, $host, $pid, $token, $now, $now)
  ON CONFLICT (experiment_id) DO UPDATE SET host = excluded.host, pid = excluded.pid, token = excluded.token,
  started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at WHERE leases.token = $judged`;

/**
 * Claims the lease in one write transaction: BEGIN IMMEDIATE holds SQLite's write lock from the
 * read to the write, so two processes claiming at once are served one after the other.
 */
export function claimLease(
  db: Db,
  experimentId: number,
  claimant: LeaseClaimant,
  staleAfterMs: number,
  clock: () => number,
): Promise<LeaseClaim> {
  checkClaim(claimant, staleAfterMs);
  return db.transaction(async () => {
    const now = clock(); // under the lock: a claim that waited for another one judges at its own time
    const holder = await readLeaseRow(db, experimentId);
    const why = holder === undefined ? undefined : staleReason(holder, claimant, now, staleAfterMs);
    if (holder !== undefined && why === undefined) return { acquired: false, holder, checkedAt: now };
    const params = {
      $experiment: experimentId,
      $host: claimant.host,
      $pid: claimant.pid,
      $token: claimant.token,
      $now: now,
      $judged: holder?.token ?? null,
    };
    const { changes } = await db.run(CLAIM, params).catch((error: unknown) => {
      throw sqliteCode(error) === 'SQLITE_CONSTRAINT' ? unknownExperiment(experimentId) : error;
    });
    if (changes !== 1) throw new Error(`the lease of experiment ${experimentId} changed under the write lock`);
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
  });
}

/** Stamps the heartbeat if `token` holds the lease. */
export async function renewLeaseRow(db: Db, experimentId: number, token: string, now: number): Promise<boolean> {
  const { changes } = await db.run('UPDATE leases SET heartbeat_at = ? WHERE experiment_id = ? AND token = ?', [
    now,
    experimentId,
    token,
  ]);
  return changes === 1;
}

/** Deletes the lease if `token` holds it. */
export async function releaseLeaseRow(db: Db, experimentId: number, token: string): Promise<boolean> {
  const { changes } = await db.run('DELETE FROM leases WHERE experiment_id = ? AND token = ?', [experimentId, token]);
  return changes === 1;
}

/** The lease row, if any. */
export async function readLeaseRow(db: Db, experimentId: number): Promise<ExperimentLease | undefined> {
  const row = await db.get<LeaseRow>(
    'SELECT host, pid, token, started_at, heartbeat_at FROM leases WHERE experiment_id = ?',
    [experimentId],
  );
  return row === undefined
    ? undefined
    : { host: row.host, pid: row.pid, token: row.token, startedAt: row.started_at, heartbeatAt: row.heartbeat_at };
}
