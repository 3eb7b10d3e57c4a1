import { processAlive } from '../../core/process-alive.js';
import { StorageMisuseError } from './errors.js';
import type { ExperimentLease, LeaseClaimant, StaleReason } from './storage.js';

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

function invalid(message: string): StorageMisuseError {
  return new StorageMisuseError('INVALID_INPUT', message);
}
