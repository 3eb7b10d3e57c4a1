import type { TrialProgress } from '../../core/events.js';
import type { Storage } from '../../backend/storage/index.js';

/** The event-log type of an attempt whose worker was lost (its job stalled): the trial itself ran again. */
export const WORKER_LOST_EVENT = 'worker-lost';

/** One lost attempt of a trial: the worker that ran it (host:pid, null when no note named it) and when the queue saw it stall (ms). */
export interface LostAttempt {
  readonly trialId: number;
  readonly number: number;
  readonly worker: string | null;
  readonly at: number;
}

/** The progress note the dispatcher relays when a trial's job stalls: its attempt was lost and it waits for another worker. */
export function lostNote(worker: string | undefined, at: number): TrialProgress {
  const who = worker === undefined ? 'its worker' : `worker ${worker}`;
  return {
    kind: 'note',
    text: `${who} was lost; the trial runs again on another worker`,
    data: { lost: { worker: worker ?? null, at } },
  };
}

/** The lost attempt a progress item reports, if it is a {@link lostNote}. */
export function lostOf(progress: TrialProgress): { readonly worker: string | null; readonly at: number } | undefined {
  if (progress.kind !== 'note') return undefined;
  const lost = (progress.data as { lost?: { worker?: unknown; at?: unknown } } | undefined)?.lost;
  if (typeof lost?.at !== 'number') return undefined;
  return { worker: typeof lost.worker === 'string' ? lost.worker : null, at: lost.at };
}

/** Appends a lost attempt to the experiment's event log. */
export async function recordLostAttempt(storage: Storage, experimentId: number, attempt: LostAttempt): Promise<void> {
  await storage.appendEvent(experimentId, { type: WORKER_LOST_EVENT, payload: { ...attempt } });
}

/** The experiment's lost attempts in the order they were recorded; malformed payloads are left out. */
export async function listLostAttempts(storage: Storage, experimentId: number): Promise<LostAttempt[]> {
  const events = await storage.listEvents(experimentId, { type: WORKER_LOST_EVENT });
  return events.flatMap((e) => (isLostAttempt(e.payload) ? [e.payload] : []));
}

function isLostAttempt(payload: unknown): payload is LostAttempt {
  const p = payload as Partial<Record<keyof LostAttempt, unknown>> | null;
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.trialId === 'number' &&
    typeof p.number === 'number' &&
    (typeof p.worker === 'string' || p.worker === null) &&
    typeof p.at === 'number'
  );
}
