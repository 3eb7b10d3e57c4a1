import type { OwnerTakeover } from '../core/events.js';

// How an experiment's owner is put in words: in the busy error and in the takeover's report line.

/** "pid 4242 on host lab-3, driving since 2026-01-05 10:11:12 UTC". */
export function ownerText(owner: { readonly host: string; readonly pid: number; readonly startedAt: number }): string {
  return `pid ${owner.pid} on host ${owner.host}, driving since ${utc(owner.startedAt)}`;
}

/** "12.5 s". */
export function secondsText(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A takeover in one line: whom this driver replaced, and why that owner was stale. */
export function takeoverText(experiment: string, t: OwnerTakeover): string {
  const why =
    t.why === 'owner-dead'
      ? 'its process is gone'
      : `no heartbeat for ${secondsText(t.heartbeatAgeMs)} (timeout ${secondsText(t.timeoutMs)})`;
  return `took over experiment ${experiment} from ${ownerText(t.previous)}: ${why}`;
}

function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
