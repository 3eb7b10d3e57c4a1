// The driver's side of live diagnostics, against an in-process evaluator that reports progress as a
// trial worker does: each epoch's record is stored in the trial's write chain, a trial finished
// without an outcome keeps the flags it reported, and TensorBoard runs are written from the events,
// with a write failure told once and no trial failed by it.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DiagnosticFlag } from '../../src/core/diagnostics.js';
import type { TrialProgress } from '../../src/core/events.js';
import type { DiagnosticEpoch } from '../../src/core/trial-diagnostics.js';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import type { Evaluator, TrialTaskOutcome } from '../../src/run/evaluator.js';
import { startSearch } from '../../src/run/search.js';
import type { TrialTask } from '../../src/run/worker/trial-task.js';
import { completed, eventLog, testConfig } from './helpers.js';

const flag = (step: number): DiagnosticFlag => ({
  kind: 'vanishing',
  layer: 'conv1',
  firstStep: 1,
  step,
  value: 1e-8,
  threshold: 1e-6,
});
const record = (epoch: number, flags: DiagnosticFlag[] = []): DiagnosticEpoch => ({
  epoch,
  checks: [{ step: 2 * epoch, epoch, globalGradNorm: 0.5 / epoch }],
  histograms: [{ epoch, layer: 'conv1', kind: 'weight', min: -1, max: 1, counts: [1, 2, 1] }],
  flags,
});
const metrics = (epoch: number) => ({
  epoch,
  trainLoss: 1 / epoch,
  trainAccuracy: 0.5,
  validationLoss: 1.5 / epoch,
  validationAccuracy: 0.25 * epoch,
  learningRate: 0.1,
  seconds: 1,
});

/** Trial 0 completes after two epochs; trial 1 raises a flag in epoch 2 and fails as a stopOn stop does (no outcome). */
function reportingEvaluator(): Evaluator {
  return {
    concurrency: 1,
    close: async () => undefined,
    run: async (task: TrialTask, options) => {
      const send = (p: TrialProgress) => options?.onProgress?.(p);
      send({ kind: 'diagnostics', every: 2, record: record(1) });
      send({ kind: 'epoch', metrics: metrics(1) });
      if (task.number === 1) {
        send({ kind: 'diagnostics', every: 2, record: record(2, [flag(4)]) });
        const error = { name: 'DiagnosticsStopError', message: 'stopped', reason: 'diagnostics' };
        return { ok: false, kind: 'error', error } satisfies TrialTaskOutcome;
      }
      send({ kind: 'diagnostics', every: 2, record: record(2) });
      send({ kind: 'epoch', metrics: metrics(2) });
      const done = completed(0.5);
      return done.ok ? { ...done, value: { ...done.value, diagnostics: { every: 2, flags: [] } } } : done;
    },
  };
}

describe('the driver with live diagnostics', () => {
  it('stores each reported epoch; a trial without an outcome keeps the flags it reported', async () => {
    const config = testConfig({ budget: { trials: 2 }, workers: 1 });
    const log = eventLog();
    await startSearch(config, { emit: log.emit, evaluator: reportingEvaluator() });
    const storage = await openSqliteStorage(config.storage);
    try {
      const experiment = await storage.getExperiment(config.name);
      const [done, stopped] = await storage.listTrials(experiment?.id ?? -1);
      expect(done).toMatchObject({ state: 'COMPLETE', outcome: { diagnostics: { every: 2, flags: [] } } });
      expect(done?.diagnostics).toBeUndefined();
      expect(await storage.listDiagnostics(done?.id ?? -1)).toStrictEqual([record(1), record(2)]);
      expect(stopped).toMatchObject({
        state: 'FAILED',
        reason: 'diagnostics',
        diagnostics: { every: 2, flags: [flag(4)] },
      });
      expect(stopped?.outcome).toBeUndefined();
      expect(await storage.listDiagnostics(stopped?.id ?? -1)).toStrictEqual([record(1), record(2, [flag(4)])]);
      expect((await storage.listEpochs(stopped?.id ?? -1)).map((m) => m.epoch)).toEqual([1]);
    } finally {
      await storage.close();
    }
    const finished = log.events.flatMap((e) => (e.type === 'trial-finished' ? [e.trial] : []));
    expect(finished[1]?.diagnostics).toStrictEqual({ every: 2, flags: [flag(4)] });
  });

  it('tells a TensorBoard write failure once, as a note of the trial, and records every trial as if none happened', async () => {
    const config = testConfig({ budget: { trials: 2 }, workers: 1, tensorboard: true });
    // The experiment folder cannot be created: a file stands where its parent folder should be.
    const blocker = path.join(path.dirname(config.storage), 'blocker');
    writeFileSync(blocker, '');
    const log = eventLog();
    await startSearch({ ...config, artifacts: blocker }, { emit: log.emit, evaluator: reportingEvaluator() });
    const notes = log.events.flatMap((e) =>
      e.type === 'trial-progress' && e.progress.kind === 'note' ? [[e.number, e.progress.text] as const] : [],
    );
    expect(notes).toHaveLength(1);
    expect(notes[0]?.[0]).toBe(0);
    expect(notes[0]?.[1]).toMatch(
      new RegExp(
        `^TensorBoard files are not written for this trial: cannot create the TensorBoard run folder ${blocker}/`,
      ),
    );
    const finished = log.events.flatMap((e) => (e.type === 'trial-finished' ? [e.trial.state] : []));
    expect(finished).toEqual(['COMPLETE', 'FAILED']);
  });
});
