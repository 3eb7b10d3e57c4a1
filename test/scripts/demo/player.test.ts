import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunEvent } from '../../../src/core/events.js';
import { play } from '../../../scripts/demo/player.js';
import { demoSchedule } from '../../../scripts/demo/schedule.js';
import { createSpace } from '../../../src/space/spaces/index.js';

const SCRIPT = demoSchedule({
  experiment: 'demo',
  space: createSpace('nb201'),
  seed: 3,
  trials: 8,
  workers: 2,
  epochs: 2,
  epochMs: 1000,
  tickMs: 250,
});

describe('play', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  it('plays the whole script on the wall clock', async () => {
    const events: RunEvent[] = [];
    const playback = play(SCRIPT, (e) => events.push(e));
    await vi.runAllTimersAsync();
    expect(await playback.done).toBe('finished');
    expect(events.map((e) => e.type)).toEqual(SCRIPT.map((s) => s.event.type));
    expect(events[0]?.t).toBe(1_000_000);
  });

  it('after one stop starts no trial and lets running ones finish; after two cancels them', async () => {
    const events: RunEvent[] = [];
    const playback = play(SCRIPT, (e) => events.push(e));
    await vi.advanceTimersByTimeAsync(600);
    playback.stop('q pressed');
    const startedBefore = events.filter((e) => e.type === 'trial-started').length;
    await vi.advanceTimersByTimeAsync(300);
    playback.stop('Ctrl-C again');
    await vi.runAllTimersAsync();
    expect(await playback.done).toBe('stopped');
    expect(events.filter((e) => e.type === 'trial-started')).toHaveLength(startedBefore);
    const cancelled = events.filter((e) => e.type === 'trial-finished' && e.trial.reason === 'cancelled');
    expect(cancelled).toHaveLength(startedBefore);
    expect(events.filter((e) => e.type === 'stopping').map((e) => (e.type === 'stopping' ? e.why : ''))).toEqual([
      'q pressed',
      'Ctrl-C again',
    ]);
    expect(events[events.length - 1]).toMatchObject({
      type: 'experiment-finished',
      status: 'stopped',
      counts: { FAILED: startedBefore },
    });
  });
});
