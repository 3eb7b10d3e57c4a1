import { processAlive } from '../../core/process-alive.js';
import { StorageMisuseError } from './errors.js';
import type { ExperimentLease, LeaseClaim, LeaseClaimant, StaleReason } from './storage.js';

// When an owner lease may be taken (docs/storage.md, "Owner lease"), for both storages alike.

/** Checks a claimant and the timeout (they may come from outside TypeScript). */
export function checkClaim(claimant: LeaseClaimant, staleAfterMs: number): void {
  if (typeof claimant.host !== 'string' || claimant.host === '')
    throw invalid(`a lease claimant needs a host name, got ${JSON.stringify(claimant.host)}`);
  if (!Number.isSafeInteger(claimant.pid) || claimant.pid <= 0)
    throw invalid(`a lease claimant's pid is a positive integer, got ${claimant.pid}`);
  if (typeof claimant.token !== 'string' || claimant.token === '')
    throw invalid('a lease claimant needs a non-empty token');
  if (!(staleAfterMs > 0)) throw invalid(`a lease's staleAfterMs is a positive number of ms, got ${staleAfterMs}`);
}

/**
 * Why `holder` no longer owns its experiment as `claimant` sees it at `now`, or undefined if it does.
 * Only a holder on the claimant's own host can be checked for a live process; a holder elsewhere is
 * stale once its heartbeat is `staleAfterMs` old.
 */
export function staleReason(
  holder: ExperimentLease,
  claimant: LeaseClaimant,
  now: number,
  staleAfterMs: number,
): StaleReason | undefined {
  if (holder.host === claimant.host && !processAlive(holder.pid)) return 'owner-dead';
  if (now - holder.heartbeatAt >= staleAfterMs) return 'heartbeat-timeout';
  return undefined;
}

/** The lease `claimant` holds from `now`. */
export function takenLease(claimant: LeaseClaimant, now: number): ExperimentLease {
  return { host: claimant.host, pid: claimant.pid, token: claimant.token, startedAt: now, heartbeatAt: now };
}

/** The claim that took `lease`: over `holder`, which was stale for `why`, if there was one. */
export function acquiredClaim(lease: ExperimentLease, holder?: ExperimentLease, why?: StaleReason): LeaseClaim {
  return holder === undefined || why === undefined
    ? { acquired: true, lease }
    : { acquired: true, lease, takenOver: { previous: holder, why } };
}

function invalid(message: string): StorageMisuseError {
  return new StorageMisuseError('INVALID_INPUT', message);
}
