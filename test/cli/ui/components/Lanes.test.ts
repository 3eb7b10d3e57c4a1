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

  it('shows a pruned trial as pruned at the epoch it stopped after, with its rung, in place of the bar and loss', () => {
    const epochEvent = (n: number, accuracy: number) => ({
      type: 'trial-progress' as const,
      t: 0,
      trialId: 1,
      number: 0,
      progress: { kind: 'epoch' as const, metrics: epoch(n, accuracy) },
    });
    const at = { step: 2, metric: 'validationAccuracy', value: 0.812, why: 'successive-halving: rung 1 (epoch 2)' };
    const state = [
      started(running(0, 1000)),
      started(running(1, 1000)),
      epochEvent(1, 0.7),
      { ...epochEvent(2, 0.812), pruned: { ...at, rung: 1 } },
      { ...epochEvent(1, 0.5), trialId: 2, number: 1, pruned: { ...at, step: 1, value: 0.5 } },
    ].reduce(reduce, initialState(HEADER));
    const frame = plain(
      render(h(Lanes, { lanes: state.lanes, workers: 2, now: 5000, width: 100, describe: compactSample })).lastFrame(),
    );
    expect(frame.split('\n')).toEqual([
      `w1  #0    {n:0}${' '.repeat(31)} epoch 2/3  pruned (rung 1)          acc 81.20%     4s`,
      `w2  #1    {n:1}${' '.repeat(31)} epoch 1/3  pruned                   acc 50.00%     4s`,
    ]);
  });

  it("shows the successive-halving rung of a trial's fidelity after its number", () => {
    const header = { ...HEADER, rungs: { fidelity: 'epochs', levels: [1, 3, 9] } };
    const state = reduce(initialState(header), started({ ...running(7, 1000), fidelity: { epochs: 9 } }));
    const frame = plain(
      render(h(Lanes, { lanes: state.lanes, workers: 1, now: 5000, width: 100, describe: compactSample })).lastFrame(),
    );
    expect(frame).toBe(`w1  #7    rung 2 {n:7}${' '.repeat(24)} epoch 1/9  ············ loss —      acc —          4s`);
  });

  it('drops the architecture when the terminal is too narrow for it', () => {
    const state = reduce(initialState(HEADER), started(running(0, 0)));
    const frame = plain(
      render(h(Lanes, { lanes: state.lanes, workers: 1, now: 5000, width: 60, describe: compactSample })).lastFrame(),
    );
    expect(frame).toBe('w1  #0    epoch 1/3  ············ loss —      acc —          5s');
  });
});
