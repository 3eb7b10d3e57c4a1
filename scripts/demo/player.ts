import type { RunEvent } from '../../src/core/events.js';
import type { Trial } from '../../src/core/trial.js';
import type { Scheduled } from './schedule.js';

/** A script being played: stop it like the driver (once: no new trials; twice: cancel running ones). */
export interface Playback {
  stop(why: string): void;
  readonly done: Promise<'finished' | 'stopped'>;
}

/** Moves a scripted event (times relative to 0) to the wall clock. */
function shift(event: RunEvent, origin: number): RunEvent {
  const t = event.t + origin;
  if (event.type !== 'trial-started' && event.type !== 'trial-finished') return { ...event, t };
  const trial = event.trial;
  return {
    ...event,
    t,
    trial: {
      ...trial,
      startedAt: trial.startedAt + origin,
      ...(trial.finishedAt === undefined ? {} : { finishedAt: trial.finishedAt + origin }),
    },
  };
}

/**
 * Plays `script` into `emit` in real time (stand-in for the driver in the dashboard demo). A stop
 * drops the trials not yet started and ends with `experiment-finished` status "stopped".
 */
export function play(script: readonly Scheduled[], emit: (event: RunEvent) => void): Playback {
  const origin = Date.now();
  let queue = [...script];
  const running = new Map<number, Trial>();
  const counts: Record<string, number> = {};
  let stops = 0;
  let ended = false;
  let timer: NodeJS.Timeout | undefined;
  let resolve: (status: 'finished' | 'stopped') => void = () => undefined;
  const done = new Promise<'finished' | 'stopped'>((r) => (resolve = r));

  const send = (event: RunEvent) => {
    if (event.type === 'trial-started') running.set(event.trial.number, event.trial);
    if (event.type === 'trial-finished') {
      running.delete(event.trial.number);
      counts[event.trial.state] = (counts[event.trial.state] ?? 0) + 1;
    }
    emit(event);
  };
  const end = (status: 'finished' | 'stopped') => {
    clearTimeout(timer);
    ended = true;
    if (status === 'stopped')
      send({
        type: 'experiment-finished',
        t: Date.now(),
        experiment: experimentOf(script),
        status,
        counts: { ...counts },
      });
    resolve(status);
  };
  const next = () => {
    const item = queue.shift();
    if (item === undefined) return end('stopped');
    send(shift(item.event, origin));
    if (item.event.type === 'experiment-finished') return end('finished');
    if (stops > 0 && running.size === 0) return end('stopped');
    timer = setTimeout(next, Math.max(0, origin + (queue[0]?.at ?? 0) - Date.now()));
  };
  const cancelRunning = () => {
    const now = Date.now();
    for (const trial of [...running.values()])
      send({
        type: 'trial-finished',
        t: now,
        trial: { ...trial, state: 'FAILED', reason: 'cancelled', message: 'the search stopped', finishedAt: now },
      });
  };

  timer = setTimeout(next, 0);
  return {
    done,
    stop: (why) => {
      if (ended) return;
      stops++;
      emit({ type: 'stopping', t: Date.now(), why });
      if (stops === 1) queue = queue.filter((q) => q.trial !== undefined && running.has(q.trial));
      else cancelRunning();
      if (running.size === 0) end('stopped');
    },
  };
}

function experimentOf(script: readonly Scheduled[]): string {
  const first = script[0]?.event;
  return first?.type === 'experiment-started' ? first.experiment : 'demo';
}
