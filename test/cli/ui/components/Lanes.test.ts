import { render } from 'ink-testing-library';
import { createElement as h } from 'react';
import { describe, expect, it } from 'vitest';
import { Lanes } from '../../../../src/cli/ui/components/Lanes.js';
import { compactSample } from '../../../../src/cli/ui/format.js';
import { initialState, reduce, type Lane } from '../../../../src/cli/ui/state.js';
import type { TrialProgress } from '../../../../src/core/events.js';
import { lostNote } from '../../../../src/run/queue/lost-attempts.js';
import { workerNote } from '../../../../src/run/queue/worker-note.js';
import { epoch, HEADER, plain, running, started } from '../fixtures.js';

describe('Lanes', () => {
  it('shows each running trial on its lane with epoch i/n, the batch bar, loss, accuracy and time; idle lanes too', () => {
    const state = [
      started(running(3, 1000)),
      {
        type: 'trial-progress' as const,
        t: 0,
        trialId: 4,
        number: 3,
        progress: { kind: 'epoch' as const, metrics: epoch(1, 0.612) },
      },
      {
        type: 'trial-progress' as const,
        t: 0,
        trialId: 4,
        number: 3,
        progress: { kind: 'batch' as const, epoch: 2, fraction: 0.5, loss: 0.81234 },
      },
    ].reduce(reduce, initialState({ ...HEADER, workers: 3 }));
    const frame = plain(
      render(
        h(Lanes, { lanes: state.lanes, workers: 3, now: 43_000, width: 100, describe: compactSample }),
      ).lastFrame(),
    );
    expect(frame.split('\n')).toEqual([
      `w1  #3    {n:3}${' '.repeat(31)} epoch 2/3  ██████······ loss 0.8123 acc 61.20%    42s`,
      'w2  idle',
      'w3  idle',
    ]);
  });

  it('shows the worker (host:pid) of a queued trial beside its architecture, and drops it when the worker is lost', () => {
    const note = (progress: TrialProgress) => ({
      type: 'trial-progress' as const,
      t: 0,
      trialId: 4,
      number: 3,
      progress,
    });
    const on = [started(running(3, 1000)), note(workerNote('node-a:41'))].reduce(
      reduce,
      initialState({ ...HEADER, workers: 1 }),
    );
    const frame = (lanes: readonly Lane[]) =>
      plain(render(h(Lanes, { lanes, workers: 1, now: 43_000, width: 100, describe: compactSample })).lastFrame());
    expect(frame(on.lanes)).toBe(
      `w1  #3    {n:3}${' '.repeat(18)} on node-a:41 epoch 1/3  ············ loss —      acc —         42s`,
    );
    const lost = reduce(on, note(lostNote('node-a:41', 40_000)));
    expect(frame(lost.lanes)).toBe(
      'w1  #3    worker node-a:41 was lost; the tria… epoch 1/3  ············ loss —      acc —         42s',
    );
  });

  it('drops the architecture when the terminal is too narrow for it', () => {
    const state = reduce(initialState(HEADER), started(running(0, 0)));
    const frame = plain(
      render(h(Lanes, { lanes: state.lanes, workers: 1, now: 5000, width: 60, describe: compactSample })).lastFrame(),
    );
    expect(frame).toBe('w1  #0    epoch 1/3  ············ loss —      acc —          5s');
  });
});
