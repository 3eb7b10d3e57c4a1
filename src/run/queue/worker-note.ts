import type { TrialProgress } from '../../core/events.js';

/** The note a worker sends as it starts a trial: who runs it (host:pid), for the dashboard and a lost attempt's record. */
export function workerNote(label: string): TrialProgress {
  return { kind: 'note', text: `on ${label}`, data: { worker: label } };
}

/** The worker (host:pid) a progress item announces, if it is a {@link workerNote}. */
export function workerOf(progress: TrialProgress): string | undefined {
  if (progress.kind !== 'note') return undefined;
  const worker = (progress.data as { worker?: unknown } | undefined)?.worker;
  return typeof worker === 'string' ? worker : undefined;
}
