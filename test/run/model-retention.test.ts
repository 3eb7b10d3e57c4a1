import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import { UserError } from '../../src/core/errors.js';
import type { Trial } from '../../src/core/trial.js';
import type { ExperimentConfig } from '../../src/run/config.js';
import { exportTrial } from '../../src/cli/commands/export/write-export.js';
import { ModelRetention, keptModels, noModelError } from '../../src/run/model-retention.js';
import { trialModelDir } from '../../src/run/model-store.js';
import { resumeSearch, startSearch } from '../../src/run/search.js';
import type { TrialTask } from '../../src/run/worker/trial-task.js';
import { createSpace } from '../../src/space/spaces/index.js';
import { completed, fakeAccuracy, lookupEvaluator, testConfig } from './helpers.js';

const space = createSpace('nb201');
const accuracyOf = (task: TrialTask) => fakeAccuracy(space.key(task.sample as never));

/** A lookup evaluator that saves a one-file "model" for each trial, as the trial worker does, and scores it by the fake accuracy. */
function savingEvaluator(concurrency: number) {
  return lookupEvaluator(concurrency, (task) => {
    const dir = trialModelDir(task.config, task.number);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'model.json'), '{}');
    return completed(accuracyOf(task));
  });
}

async function trialsOf(config: ExperimentConfig): Promise<readonly Trial[]> {
  const storage = await openSqliteStorage(config.storage, { readonly: true });
  try {
    return await storage.listTrials((await storage.getExperiment(config.name))?.id ?? -1);
  } finally {
    await storage.close();
  }
}

/** The trial numbers that have a model folder. */
function savedModels(config: ExperimentConfig): number[] {
  const dir = path.join(path.dirname(config.storage), config.name);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((f) => Number(/^trial-(\d+)$/.exec(f)?.[1]))
    .filter((n) => !Number.isNaN(n))
    .sort((a, b) => a - b);
}

/** The numbers of the k best COMPLETE trials by validation accuracy (ties: the earlier), best first, by hand. */
function ranked(trials: readonly Trial[], k: number): number[] {
  const complete = trials.filter((t) => t.state === 'COMPLETE');
  const sorted = [...complete].sort(
    (a, b) =>
      (b.outcome?.metrics.validationAccuracy as number) - (a.outcome?.metrics.validationAccuracy as number) ||
      a.number - b.number,
  );
  return sorted.slice(0, k).map((t) => t.number);
}

/** The same in trial order. */
function bestNumbers(trials: readonly Trial[], k: number): number[] {
  return ranked(trials, k).sort((a, b) => a - b);
}

describe('keepModels', () => {
  it('{ best: 3 } keeps exactly the models of the 3 best complete trials, deleting the others as better ones arrive', async () => {
    const config = testConfig({ keepModels: { best: 3 }, budget: { trials: 12 } });
    const deletedAfter: number[][] = [];
    const emit = (e: { type: string }) => {
      if (e.type === 'trial-finished') deletedAfter.push(savedModels(config));
    };
    expect(await startSearch(config, { emit, evaluator: savingEvaluator(2) })).toBe('finished');
    const trials = await trialsOf(config);
    expect(trials.filter((t) => t.state === 'COMPLETE')).toHaveLength(12);
    expect(savedModels(config)).toEqual(bestNumbers(trials, 3));
    // After every recorded trial, at most 3 finished trials keep a folder (plus the one still running).
    for (const saved of deletedAfter) expect(saved.length).toBeLessThanOrEqual(4);
  });

  it("'all' (the default) keeps every model and 'none' saves none", async () => {
    const all = testConfig({ budget: { trials: 5 } });
    await startSearch(all, { emit: () => undefined, evaluator: savingEvaluator(2) });
    expect(savedModels(all)).toEqual([0, 1, 2, 3, 4]);
    const trials = await trialsOf(all);
    expect(keptModels(trials, all)).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(keptModels(trials, { ...all, keepModels: 'none' })).toEqual(new Set());
    expect(keptModels(trials, { ...all, keepModels: { best: 2 } })).toEqual(new Set(bestNumbers(trials, 2)));
  });

  it('a deletion lost to a crash is done on resume, and `nas export` of a pruned trial says it was not kept', async () => {
    const config = testConfig({ keepModels: { best: 2 }, budget: { trials: 6 } });
    await startSearch(config, { emit: () => undefined, evaluator: savingEvaluator(1) });
    const trials = await trialsOf(config);
    const kept = bestNumbers(trials, 2);
    const pruned = trials.map((t) => t.number).filter((n) => !kept.includes(n));
    // As if the driver died between recording these trials and deleting their folders:
    for (const n of pruned) fs.mkdirSync(trialModelDir(config, n), { recursive: true });
    expect(
      await resumeSearch(config.storage, config.name, { emit: () => undefined, evaluator: savingEvaluator(1) }),
    ).toBe('finished');
    expect(savedModels(config)).toEqual(kept);

    const out = path.join(path.dirname(config.storage), 'export');
    const error = await exportTrial(config.storage, config.name, { trial: pruned[0] as number }, out).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(
      `trial ${pruned[0]}'s model was not kept: experiment "exp" keeps only the models of its 2 best complete trials by validationAccuracy (keepModels: { best: 2 })`,
    );
    expect((error as UserError).hint).toBe(
      `export one of the kept trials: ${ranked(trials, 2).join(', ')} (--best exports the best); to keep every model, run the search with keepModels: 'all'`,
    );
    expect(fs.existsSync(out)).toBe(false);
  });

  it('never deletes a running trial, and deletes the others once', async () => {
    const config = testConfig({ keepModels: { best: 1 } });
    const trial = (number: number, state: Trial['state'], accuracy?: number): Trial => ({
      id: number + 1,
      number,
      sample: {},
      key: String(number),
      state,
      startedAt: 0,
      ...(state === 'FAILED' ? { reason: 'interrupted' as const } : {}),
      ...(accuracy === undefined
        ? {}
        : { outcome: { metrics: { validationAccuracy: accuracy }, cost: {} as never, epochs: [], seconds: 0 } }),
    });
    const trials = [trial(0, 'COMPLETE', 0.5), trial(1, 'COMPLETE', 0.7), trial(2, 'RUNNING'), trial(3, 'FAILED')];
    for (const t of trials) fs.mkdirSync(trialModelDir(config, t.number), { recursive: true });
    const retention = new ModelRetention(config);
    await retention.prune(trials);
    expect(savedModels(config)).toEqual([1, 2]);
    fs.mkdirSync(trialModelDir(config, 0));
    await retention.prune(trials);
    expect(savedModels(config)).toEqual([0, 1, 2]); // trial 0 was pruned once by this retention: not looked at again
    await new ModelRetention(config).prune([...trials.slice(0, 2), trial(2, 'COMPLETE', 0.9), trials[3] as Trial]);
    expect(savedModels(config)).toEqual([2]);
  });

  it("says why an export finds no model under 'none' and when a kept model is missing", () => {
    const none = testConfig({ keepModels: 'none' });
    expect(noModelError(none, [], 4, '/x/model.json').message).toBe(
      `trial 4 has no saved model: experiment "exp" ran with keepModels: 'none' (no model is saved)`,
    );
    expect(noModelError(testConfig({ saveModels: false }), [], 4, '/x/model.json').message).toBe(
      `trial 4 has no saved model: experiment "exp" ran with keepModels: 'none' (no model is saved)`,
    );
    expect(noModelError(testConfig(), [], 4, '/x/model.json').message).toBe(
      'trial 4 has no saved model (looked for /x/model.json)',
    );
  });
});
