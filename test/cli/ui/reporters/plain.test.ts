import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../../src/core/events.js';
import { plainReporter } from '../../../../src/cli/ui/reporters/plain.js';
import {
  Collect,
  complete,
  epoch,
  EXPERIMENT_STARTED,
  failed,
  finished,
  HEADER,
  pruned,
  running,
  started,
} from '../fixtures.js';

const EVENTS: RunEvent[] = [
  EXPERIMENT_STARTED,
  started(running(0, 1000)),
  {
    type: 'trial-progress',
    t: 2000,
    trialId: 1,
    number: 0,
    progress: { kind: 'batch', epoch: 1, fraction: 0.5, loss: 2 },
  },
  { type: 'trial-progress', t: 3000, trialId: 1, number: 0, progress: { kind: 'epoch', metrics: epoch(1, 0.5, 1.25) } },
  { type: 'trial-progress', t: 3500, trialId: 1, number: 0, progress: { kind: 'note', text: 'measuring latency' } },
  finished(complete(0, 0.75, 200_000, 10)),
  started(running(1, 11_000)),
  finished(failed(1, 'out-of-memory', 'ResourceExhausted: OOM\nstack', 2, 11_000)),
  { type: 'strategy-done', t: 13_000, why: 'space exhausted' },
  { type: 'stopping', t: 14_000, why: 'SIGINT' },
  { type: 'stopping', t: 14_500, why: 'SIGINT' },
  {
    type: 'experiment-finished',
    t: 75_000,
    experiment: 'nb201-c10',
    status: 'finished',
    counts: { COMPLETE: 1, FAILED: 1 },
  },
];

describe('plainReporter', () => {
  it('writes one readable line per event, no escape codes, batch progress left out', async () => {
    const out = new Collect();
    const reporter = plainReporter(out, { header: HEADER, describe: (s) => JSON.stringify(s) });
    for (const e of EVENTS) reporter.emit(e);
    await reporter.close();
    expect(out.text().split('\n')).toEqual([
      '[0:00:00] experiment nb201-c10 started: budget 20 trials, 2 workers',
      '[0:00:00] #0 started  {"n":0}',
      '[0:00:02] #0 epoch 1/3  train loss 1.2500  val loss 1.2500  val acc 50.00%',
      '[0:00:02] #0 measuring latency',
      '[0:00:10] #0  COMPLETE  in 10s  val acc 75.00%  params 200.00 K  MACs 20.00 M  latency ~2.00 ms  {"n":0}  [1/20 done, best val acc 75.00%]',
      '[0:00:10] #1 started  {"n":1}',
      '[0:00:12] #1  FAILED  in 2s  out-of-memory: ResourceExhausted: OOM  [2/20 done, best val acc 75.00%]',
      '[0:00:12] strategy done: space exhausted',
      '[0:00:13] stopping: SIGINT (running trials finish)',
      '[0:00:13] cancelling running trials: SIGINT',
      '[0:01:14] experiment nb201-c10 finished: 1 COMPLETE, 1 FAILED',
      '',
    ]);
    expect(out.text()).not.toContain('\u001b');
  });

  it('works without a header: objectives default to validation accuracy, samples as compact JSON', () => {
    const out = new Collect();
    const reporter = plainReporter(out);
    for (const e of [EXPERIMENT_STARTED, started(running(0)), finished(complete(0, 0.5))]) reporter.emit(e);
    expect(out.chunks).toEqual([
      '[0:00:00] experiment nb201-c10 started: budget 20 trials, 2 workers\n',
      '[0:00:00] #0 started  {n:0}\n',
      '[0:00:10] #0  COMPLETE  in 10s  val acc 50.00%  params 100.00 K  MACs 10.00 M  latency ~1.00 ms  {n:0}  [1/20 done, best val acc 50.00%]\n',
    ]);
  });

  it("prints a pruned trial's line with the epoch and rung it was pruned at and its value there", async () => {
    const at = {
      step: 2,
      metric: 'validationAccuracy',
      value: 0.812,
      why: 'successive-halving: rung 1 (epoch 2)',
      rung: 1,
    };
    const out = new Collect();
    const reporter = plainReporter(out, { header: HEADER, describe: (s) => JSON.stringify(s) });
    const epochEvent = (n: number, accuracy: number, t: number) => ({
      type: 'trial-progress' as const,
      t,
      trialId: 1,
      number: 0,
      progress: { kind: 'epoch' as const, metrics: epoch(n, accuracy, 0.5) },
    });
    for (const e of [
      EXPERIMENT_STARTED,
      started(running(0, 1000)),
      epochEvent(1, 0.7, 3000),
      { ...epochEvent(2, 0.812, 5000), pruned: at },
      finished(pruned(0, at, 5)),
    ])
      reporter.emit(e);
    await reporter.close();
    expect(out.text().split('\n').slice(2)).toEqual([
      '[0:00:02] #0 epoch 1/3  train loss 0.5000  val loss 0.5000  val acc 70.00%',
      '[0:00:04] #0 epoch 2/3  train loss 0.5000  val loss 0.5000  val acc 81.20%',
      '[0:00:05] #0  PRUNED  in 5s  pruned at epoch 2 (rung 1) val acc 81.20%  [1/20 done]',
      '',
    ]);
  });

  it('prints the successive-halving rung a trial runs at when it starts and when it finishes', async () => {
    const out = new Collect();
    const header = { ...HEADER, rungs: { fidelity: 'epochs', levels: [1, 3, 9] } };
    const reporter = plainReporter(out, { header, describe: (s) => JSON.stringify(s) });
    const trial = { ...complete(4, 0.75, 200_000, 10), fidelity: { epochs: 3 } };
    for (const e of [EXPERIMENT_STARTED, started(trial), finished(trial)]) reporter.emit(e);
    await reporter.close();
    expect(out.text().split('\n').slice(1)).toEqual([
      '[0:00:00] #4 started  rung 1 (epochs 3)  {"n":4}',
      '[0:00:10] #4  COMPLETE  in 10s  rung 1 (epochs 3)  val acc 75.00%  params 200.00 K  MACs 20.00 M  latency ~2.00 ms  {"n":4}  [1/20 done, best val acc 75.00%]',
      '',
    ]);
  });

  it('after a resume, counts and the best go on from the stored trials', async () => {
    const out = new Collect();
    const history = [complete(0, 0.8, 100_000, 10), failed(1, 'error', 'boom', 2, 11_000)];
    const reporter = plainReporter(out, { header: HEADER, describe: (s) => JSON.stringify(s), history });
    reporter.emit({ ...EXPERIMENT_STARTED, resumed: true });
    reporter.emit(finished(complete(2, 0.7, 200_000, 30)));
    await reporter.close();
    expect(out.text().split('\n')[1]).toContain('[3/20 done, best val acc 80.00%]');
  });
});
