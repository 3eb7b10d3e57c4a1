import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/core/events.js';
import { initialState, reduce, type DashboardState } from '../../../src/cli/ui/state.js';
import { lostNote } from '../../../src/run/queue/lost-attempts.js';
import { workerNote } from '../../../src/run/queue/worker-note.js';
import {
  complete,
  epoch,
  EXPERIMENT_STARTED,
  failed,
  finished,
  HEADER,
  MULTI,
  pruned,
  running,
  started,
} from './fixtures.js';

const fold = (events: readonly RunEvent[], state: DashboardState = initialState(HEADER)) =>
  events.reduce(reduce, state);
const progress = (
  number: number,
  p: Extract<RunEvent, { type: 'trial-progress' }>['progress'],
  t = 2000,
): RunEvent => ({ type: 'trial-progress', t, trialId: number + 1, number, progress: p });

describe('reduce', () => {
  it('starts empty', () => {
    expect(initialState(HEADER)).toEqual({
      header: HEADER,
      top: 5,
      resumed: false,
      startedAt: undefined,
      status: 'starting',
      lanes: [],
      finished: [],
      leaderboard: [],
      best: [],
      pareto: [],
      counts: { RUNNING: 0, COMPLETE: 0, FAILED: 0, PRUNED: 0 },
      done: 0,
      failures: [],
      trialTime: { totalMs: 0, count: 0 },
      stopping: undefined,
      strategyDone: undefined,
    });
  });

  it('takes name, budget and workers from experiment-started', () => {
    const state = fold([
      {
        type: 'experiment-started',
        t: 500,
        experiment: 'renamed',
        resumed: true,
        budget: { trials: 7, seconds: 60 },
        workers: 3,
      },
    ]);
    expect(state.header).toEqual({ ...HEADER, experiment: 'renamed', budget: { trials: 7, seconds: 60 }, workers: 3 });
    expect([state.resumed, state.startedAt, state.status]).toEqual([true, 500, 'running']);
  });

  it('gives each started trial the lowest free lane and frees it when the trial finishes', () => {
    const state = fold([
      EXPERIMENT_STARTED,
      started(running(0)),
      started(running(1)),
      finished(complete(0, 0.5)),
      started(running(2)),
    ]);
    expect(state.lanes.map((l) => [l.index, l.trial.number])).toEqual([
      [0, 2],
      [1, 1],
    ]);
    expect(state.counts).toEqual({ RUNNING: 2, COMPLETE: 1, FAILED: 0, PRUNED: 0 });
  });

  it('follows batch and epoch progress in the lane', () => {
    const base = fold([started(running(0))]);
    const batch = reduce(base, progress(0, { kind: 'batch', epoch: 1, fraction: 0.25, loss: 2.1 }));
    expect(batch.lanes[0]).toEqual({
      index: 0,
      trial: running(0),
      epoch: 1,
      epochs: 3,
      fraction: 0.25,
      loss: 2.1,
      accuracy: undefined,
      note: undefined,
      worker: undefined,
      flags: [],
      rung: undefined,
      pruned: undefined,
    });
    const afterEpoch = reduce(batch, progress(0, { kind: 'epoch', metrics: epoch(1, 0.4, 1.7) }));
    expect(afterEpoch.lanes[0]).toMatchObject({ epoch: 2, fraction: 0, loss: 1.7, accuracy: 0.4 });
    const last = reduce(afterEpoch, progress(0, { kind: 'epoch', metrics: epoch(3, 0.6, 0.9) }));
    expect(last.lanes[0]).toMatchObject({ epoch: 3, fraction: 1, accuracy: 0.6 });
    expect(reduce(last, progress(0, { kind: 'note', text: 'measuring latency' })).lanes[0]?.note).toBe(
      'measuring latency',
    );
  });

  it("keeps a queued trial's worker apart from its note, and forgets it when the worker is lost", () => {
    const base = fold([started(running(0))]);
    const on = reduce(base, progress(0, workerNote('node-a:41')));
    expect(on.lanes[0]).toMatchObject({ worker: 'node-a:41', note: undefined });
    const lost = reduce(on, progress(0, lostNote('node-a:41', 5000)));
    expect(lost.lanes[0]).toMatchObject({
      worker: undefined,
      note: 'worker node-a:41 was lost; the trial runs again on another worker',
    });
    expect(reduce(lost, progress(0, workerNote('node-b:7'))).lanes[0]).toMatchObject({ worker: 'node-b:7' });
  });

  it('takes the epoch count from the trial fidelity before the header', () => {
    const state = fold([started({ ...running(0), fidelity: { epochs: 12 } })]);
    expect(state.lanes[0]?.epochs).toBe(12);
  });

  it('holds a pruned lane at the epoch the driver pruned it after, until the PRUNED trial is recorded', () => {
    const at = {
      step: 2,
      metric: 'validationAccuracy',
      value: 0.812,
      why: 'successive-halving: rung 1 (epoch 2)',
      rung: 1,
    };
    const base = fold([
      EXPERIMENT_STARTED,
      started(running(0)),
      progress(0, { kind: 'epoch', metrics: epoch(1, 0.7, 1.5) }),
      progress(0, { kind: 'batch', epoch: 2, fraction: 0.9, loss: 1.2 }),
    ]);
    const pruning = reduce(base, {
      type: 'trial-progress',
      t: 3000,
      trialId: 1,
      number: 0,
      progress: { kind: 'epoch', metrics: epoch(2, 0.812, 1.1) },
      pruned: at,
    });
    expect(pruning.lanes[0]).toMatchObject({
      epoch: 2,
      epochs: 3,
      fraction: 1,
      loss: 1.1,
      accuracy: 0.812,
      pruned: at,
    });
    expect(pruning.counts).toEqual({ RUNNING: 1, COMPLETE: 0, FAILED: 0, PRUNED: 0 });
    const recorded = reduce(pruning, finished(pruned(0, at, 5)));
    expect([recorded.lanes, recorded.counts, recorded.done, recorded.failures, recorded.leaderboard]).toEqual([
      [],
      { RUNNING: 0, COMPLETE: 0, FAILED: 0, PRUNED: 1 },
      1,
      [],
      [],
    ]);
    expect(recorded.finished.map((t) => [t.number, t.state, t.message])).toEqual([
      [0, 'PRUNED', 'pruned at epoch 2 (rung 1): validationAccuracy 0.812 (successive-halving: rung 1 (epoch 2))'],
    ]);
  });

  it("gives a lane the rung of its trial's fidelity among the header's successive-halving rungs", () => {
    const header = { ...HEADER, rungs: { fidelity: 'epochs', levels: [1, 3, 9] } };
    const state = fold(
      [
        started({ ...running(0), fidelity: { epochs: 3 } }),
        started({ ...running(1), fidelity: { epochs: 9 } }),
        started({ ...running(2), fidelity: { epochs: 4 } }),
        started(running(3)),
      ],
      initialState(header),
    );
    expect(state.lanes.map((l) => [l.trial.number, l.rung, l.epochs])).toEqual([
      [0, 1, 3],
      [1, 2, 9],
      [2, undefined, 4],
      [3, undefined, 3],
    ]);
    expect(fold([started({ ...running(0), fidelity: { epochs: 3 } })]).lanes[0]?.rung).toBeUndefined();
  });

  it('ignores progress of a trial it does not know', () => {
    const state = fold([started(running(0))]);
    expect(reduce(state, progress(9, { kind: 'batch', epoch: 1, fraction: 0.5, loss: 1 }))).toEqual(state);
  });

  it('ranks complete trials by the primary objective, keeps the top ones, and records best so far', () => {
    const accuracies = [0.5, 0.7, 0.6, 0.7, 0.4, 0.8, 0.65];
    const events = accuracies.flatMap((a, n) => [started(running(n)), finished(complete(n, a))]);
    const state = fold(events);
    expect(state.leaderboard.map((t) => t.number)).toEqual([5, 1, 3, 6, 2]);
    expect(state.best).toEqual([0.5, 0.7, 0.7, 0.7, 0.7, 0.8, 0.8]);
    expect(state.finished.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect([state.done, state.trialTime]).toEqual([7, { totalMs: 70_000, count: 7 }]);
  });

  it('ranks by a minimised objective, lowest first', () => {
    const header = { ...HEADER, objectives: [{ metric: 'params', direction: 'min' as const }] };
    const state = fold(
      [finished(complete(0, 0.9, 300)), finished(complete(1, 0.9, 100)), finished(complete(2, 0.9, 200))],
      initialState(header),
    );
    expect(state.leaderboard.map((t) => t.number)).toEqual([1, 2, 0]);
    expect(state.best).toEqual([300, 100, 100]);
  });

  it('records failures with their reasons; cut-short trials do not count against the budget or the ETA', () => {
    const state = fold([
      started(running(0)),
      started(running(1)),
      finished(failed(0, 'diverged', 'loss NaN at step 12', 4)),
      finished(failed(1, 'cancelled', 'the search stopped', 1)),
    ]);
    expect(state.failures).toEqual([
      { number: 0, reason: 'diverged', message: 'loss NaN at step 12' },
      { number: 1, reason: 'cancelled', message: 'the search stopped' },
    ]);
    expect([state.done, state.trialTime, state.counts.FAILED, state.leaderboard, state.best]).toEqual([
      1,
      { totalMs: 4000, count: 1 },
      2,
      [],
      [],
    ]);
  });

  it('keeps the Pareto front of two objectives', () => {
    const trials = [
      complete(0, 0.7, 500),
      complete(1, 0.8, 900),
      complete(2, 0.6, 600),
      complete(3, 0.75, 400),
      complete(4, 0.5, 100),
    ];
    const state = fold(trials.map(finished), initialState(MULTI));
    expect(state.pareto.map((t) => t.number)).toEqual([1, 3, 4]);
  });

  it('marks a first stop graceful and a second one forced, and ends with the status', () => {
    const first = fold([EXPERIMENT_STARTED, { type: 'stopping', t: 2, why: 'q pressed' }]);
    expect(first.stopping).toEqual({ why: 'q pressed', forced: false });
    const second = reduce(first, { type: 'stopping', t: 3, why: 'Ctrl-C again' });
    expect(second.stopping).toEqual({ why: 'q pressed', forced: true });
    expect(
      reduce(second, { type: 'experiment-finished', t: 4, experiment: 'x', status: 'stopped', counts: {} }).status,
    ).toBe('stopped');
    expect(reduce(first, { type: 'strategy-done', t: 5, why: 'space exhausted' }).strategyDone).toBe('space exhausted');
  });

  it('never changes the state it is given', () => {
    const before = fold([
      EXPERIMENT_STARTED,
      started(running(0)),
      progress(0, { kind: 'batch', epoch: 1, fraction: 0.5, loss: 1 }),
    ]);
    const copy = structuredClone(before);
    fold(
      [
        progress(0, { kind: 'epoch', metrics: epoch(1, 0.5) }),
        finished(complete(0, 0.5)),
        { type: 'stopping', t: 9, why: 'q' },
      ],
      before,
    );
    expect(before).toEqual(copy);
  });

  it('folds the history of a resumed experiment into counts and leaderboard, not into the finished lines', () => {
    const state = initialState(HEADER, {
      top: 2,
      history: [complete(0, 0.6), failed(1, 'timeout'), complete(2, 0.9), running(3)],
    });
    expect(state.leaderboard.map((t) => t.number)).toEqual([2, 0]);
    expect([state.done, state.counts, state.finished, state.lanes]).toEqual([
      3,
      { RUNNING: 0, COMPLETE: 2, FAILED: 1, PRUNED: 0 },
      [],
      [],
    ]);
  });
});
