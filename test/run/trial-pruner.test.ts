import { describe, expect, it } from 'vitest';
import type { EpochMetrics, StepReport, Trial } from '../../src/core/trial.js';
import { MemoryStorage } from '../../src/backend/storage/index.js';
import { openTrialPruner, prunedAtOf, prunedMessage, REPORT_EVENT, TrialPruner } from '../../src/run/trial-pruner.js';

const objective = { metric: 'validationAccuracy', direction: 'max' } as const;
const epochs = (...values: number[]): EpochMetrics[] =>
  values.map((v, i) => ({
    epoch: i + 1,
    trainLoss: 1,
    trainAccuracy: 0,
    validationLoss: 1 - v,
    validationAccuracy: v,
    learningRate: 0.1,
    seconds: 0,
  }));
const trial = (id: number, state: Trial['state'], extra: Partial<Trial> = {}): Trial => ({
  id,
  number: id - 1,
  sample: {},
  key: `k${id}`,
  state,
  startedAt: 0,
  ...extra,
});
const cost = {
  params: 1,
  paramsTotal: 1,
  macs: 1,
  trainMemoryBytes: 1,
  inferenceMemoryBytes: 1,
  estimatedLatencyMs: 1,
};

describe('TrialPruner', () => {
  it('gives a rung pruner the COMPLETE, PRUNED and RUNNING trials at the rung, not the FAILED ones', () => {
    // η = 2 from epoch 1: of the values at epoch 1, the top half is kept.
    const pruner = new TrialPruner({ name: 'successive-halving', options: { reductionFactor: 2 } }, objective, 4);
    const complete = trial(1, 'COMPLETE', {
      outcome: { metrics: { validationAccuracy: 0.6 }, cost, epochs: epochs(0.6), seconds: 0 },
    });
    const pruned = trial(2, 'PRUNED');
    pruner.remember(pruned, epochs(0.5));
    const failed = trial(3, 'FAILED', { reason: 'diverged' });
    pruner.remember(failed, epochs(0.9)); // left out: else 0.45 would be judged against 0.9 too
    const running = trial(4, 'RUNNING');
    expect(pruner.judge(running, epochs(0.65), [complete, pruned, failed, running])).toBeUndefined(); // the best of 0.6, 0.5, 0.65
    const judged = trial(5, 'RUNNING');
    // 0.6, 0.5, the running 0.65 and its own 0.52: of 4 values the top 2 (0.65, 0.6) are kept.
    const at = pruner.judge(judged, epochs(0.52), [complete, pruned, failed, running, judged]);
    expect(at).toEqual({
      step: 1,
      metric: 'validationAccuracy',
      value: 0.52,
      rung: 0,
      why: 'successive-halving: rung 0 (epoch 1): 0.5200 is not in the top 2 of 4 trials there (the bar is 0.6000)',
    });
    const message = prunedMessage(at as NonNullable<typeof at>);
    expect(message).toBe(
      'pruned at epoch 1 (rung 0): validationAccuracy 0.52 (successive-halving: rung 0 (epoch 1): 0.5200 is not in the top 2 of 4 trials there (the bar is 0.6000))',
    );
    expect(prunedAtOf({ state: 'PRUNED', message })).toEqual({
      step: 1,
      rung: 0,
      metric: 'validationAccuracy',
      value: 0.52,
    });
    expect(prunedAtOf({ state: 'PRUNED', message: 'pruned at epoch 2: validationLoss 0.25 (median: …)' })).toEqual({
      step: 2,
      metric: 'validationLoss',
      value: 0.25,
    });
  });

  it("does not judge a run's last epoch or report (pruning it would save nothing and lose its result)", () => {
    const outcome = { metrics: { validationAccuracy: 0.9 }, cost, epochs: epochs(0.8, 0.9), seconds: 0 };
    const complete = [1, 2].map((id) => trial(id, 'COMPLETE', { outcome }));
    const judged = trial(3, 'RUNNING');
    const pruner = new TrialPruner({ name: 'median', options: { nStartupTrials: 2 } }, objective, 5);
    expect(pruner.judge(judged, epochs(0.3, 0.4), [...complete, judged], 2)).toBeUndefined(); // its last of 2
    expect(pruner.judge(judged, epochs(0.3, 0.4), [...complete, judged], 3)?.step).toBe(2); // 1 more to go
    expect(pruner.judge(judged, epochs(0.3, 0.4), [...complete, judged])?.step).toBe(2); // of not known
  });

  it('gives the curve pruner the epoch a trial trains to', () => {
    const complete = [1, 2, 3].map((id) =>
      trial(id, 'COMPLETE', {
        outcome: { metrics: { validationAccuracy: 0.9 }, cost, epochs: epochs(0.7, 0.8, 0.85, 0.9), seconds: 0 },
      }),
    );
    const judged = trial(4, 'RUNNING');
    const at = (finalStep: number) =>
      new TrialPruner({ name: 'curve', options: {} }, objective, finalStep).judge(judged, epochs(0.42, 0.55, 0.6), [
        ...complete,
        judged,
      ]);
    expect(at(10)?.why).toMatch(/^curve: predicted 0\.6837 at epoch 10 /);
    expect(at(3)).toBeUndefined(); // its last epoch: not judged
  });

  it('with reportEvery, judges step reports (its steps are the reports), the COMPLETE trials by theirs, and a resumed pruner reads them back', async () => {
    // Reports every 10 steps, 5 steps an epoch: report k is at training step 10k, in epoch 2k.
    const reports = (...values: number[]): StepReport[] =>
      values.map((v, i) => ({
        step: 10 * (i + 1),
        epoch: 2 * (i + 1),
        of: 4,
        trainLoss: 1,
        trainAccuracy: 0,
        validationLoss: 1 - v,
        validationAccuracy: v,
      }));
    const config = { name: 'median', options: { nStartupTrials: 2, nWarmupSteps: 1 }, reportEvery: 10 };
    // Their outcomes' epochs say 0.99: in report mode only the reports count.
    const outcome = { metrics: { validationAccuracy: 0.99 }, cost, epochs: epochs(0.99, 0.99), seconds: 0 };
    const complete = [trial(1, 'COMPLETE', { outcome }), trial(2, 'COMPLETE', { outcome })];
    const storage = new MemoryStorage();
    const experiment = await storage.createExperiment({ name: 'e', config: {}, seed: 1 });
    const pruner = new TrialPruner(config, objective, 99);
    expect(pruner.judgesReports).toBe(true);
    const values = [
      [0.5, 0.7, 0.8, 0.85],
      [0.4, 0.6, 0.7, 0.8],
    ];
    for (const [i, t] of complete.entries()) {
      pruner.remember(t, reports(...(values[i] as number[])));
      for (const report of reports(...(values[i] as number[])))
        await storage.appendEvent(experiment.id, { type: REPORT_EVENT, payload: { trialId: t.id, report } });
    }
    const judged = trial(3, 'RUNNING');
    // Report 1 is within the warm-up; at report 2 the best so far, 0.55, is below the median 0.65 of 0.7 and 0.6.
    expect(pruner.judge(judged, reports(0.55), [...complete, judged])).toBeUndefined();
    const at = pruner.judge(judged, reports(0.55, 0.5), [...complete, judged]);
    expect(at).toMatchObject({ step: 4, trainingStep: 20, metric: 'validationAccuracy', value: 0.5 });
    const message = prunedMessage(at as NonNullable<typeof at>);
    expect(message).toMatch(/^pruned at epoch 4 \(step 20\): validationAccuracy 0\.5 \(median: /);
    expect(prunedAtOf({ state: 'PRUNED', message })).toEqual({
      step: 4,
      trainingStep: 20,
      metric: 'validationAccuracy',
      value: 0.5,
    });
    const resumed = await openTrialPruner(config, objective, 99, storage, complete, experiment.id);
    expect(resumed.judge(judged, reports(0.55, 0.5), [...complete, judged])).toEqual(at);
    const forgetful = new TrialPruner(config, objective, 99); // no reports of the COMPLETE trials: nothing to compare with
    expect(forgetful.judge(judged, reports(0.55, 0.5), [...complete, judged])).toBeUndefined();
  });
});
