import { describe, expect, it } from 'vitest';
import type { Json } from '../../src/core/arch.js';
import { Rng } from '../../src/core/rng.js';
import { MemoryStorage } from '../../src/backend/storage/index.js';
import { Driver } from '../../src/run/driver.js';
import { configAt, dataAt, stopEpoch } from '../../src/run/worker/fidelity.js';
import { trialTask, type TrialTask } from '../../src/run/worker/trial-task.js';
import { resolveOptions } from '../../src/core/options.js';
import { halvingOptions, withSuccessiveHalving } from '../../src/search/halving.js';
import { createStrategy } from '../../src/search/registry.js';
import { createSpace } from '../../src/space/spaces/index.js';
import { completed, fakeAccuracy, lookupEvaluator, testConfig } from '../run/helpers.js';

const space = createSpace('nb201');

describe('fidelity through the driver (successive halving around random search)', () => {
  it('records each proposal’s fidelity on its trial and hands it to the evaluator in the task', async () => {
    const config = testConfig({ budget: { trials: 30 } });
    const storage = new MemoryStorage();
    const experiment = await storage.createExperiment({ name: 'exp', config: config as unknown as Json, seed: 7 });
    const context = { space, rng: new Rng(7), objectives: config.objectives };
    const strategy = withSuccessiveHalving(
      createStrategy('random', context),
      context,
      resolveOptions(halvingOptions, { min: 1, max: 9 }, 'halving'),
    );
    const seen: TrialTask[] = [];
    const evaluator = lookupEvaluator(3, (task) => {
      seen.push(task);
      return completed(fakeAccuracy(space.key(task.sample as never)) * (1 - 1 / (1 + (task.fidelity?.epochs ?? 0))));
    });
    const driver = new Driver(
      {
        experimentId: experiment.id,
        storage,
        evaluator,
        space,
        strategy,
        budget: config.budget,
        taskFor: (t) => trialTask(config, t),
        emit: () => undefined,
      },
      [],
    );
    expect(await driver.run()).toBe('finished');
    const trials = await storage.listTrials(experiment.id);
    expect(trials).toHaveLength(30);
    expect(new Set(trials.map((t) => t.fidelity?.epochs))).toEqual(new Set([1, 3, 9]));
    for (const t of trials) expect(seen.find((s) => s.trialId === t.id)?.fidelity).toEqual(t.fidelity);
    const promoted = trials.filter((t) => (t.fidelity?.epochs ?? 0) > 1);
    for (const t of promoted) expect(trials.some((u) => u.key === t.key && u.number < t.number)).toBe(true);
  });

  it('a worker trains at the fidelity: epochs replace the config’s, dataFraction keeps a share of the training order', () => {
    const config = testConfig({ train: { epochs: 5, batchSize: 32 } });
    expect(configAt(config, { epochs: 2 }).train).toEqual({ epochs: 2, batchSize: 32 });
    expect(configAt(config, undefined)).toBe(config);
    expect(() => configAt(config, { epochs: 0.5 })).toThrow('fidelity.epochs must be a positive integer, got 0.5');
    // With continuation: the schedule spans scheduleEpochs, the run stops after epochs.
    expect(configAt(config, { epochs: 3, scheduleEpochs: 9 }).train).toEqual({ epochs: 9, batchSize: 32 });
    expect([stopEpoch({ epochs: 3, scheduleEpochs: 9 }), stopEpoch({ epochs: 9, scheduleEpochs: 9 })]).toEqual([
      3,
      undefined,
    ]);
    expect(stopEpoch({ epochs: 3 })).toBeUndefined();
    expect(() => configAt(config, { epochs: 3, scheduleEpochs: 2 })).toThrow(
      'fidelity.scheduleEpochs must be an integer ≥ epochs (3), got 2',
    );
    const set = { count: 10, shape: [1, 1, 1], images: new Float32Array(10), labels: new Uint8Array(10) } as never;
    const data = { train: { set, indices: Uint32Array.from([9, 3, 5, 1, 0, 2, 8, 4, 6, 7]) } };
    expect(Array.from(dataAt(data, { dataFraction: 0.25 }).train.indices)).toEqual([9, 3, 5]);
    expect(dataAt(data, { epochs: 3 })).toBe(data);
    expect(() => dataAt(data, { dataFraction: 0 })).toThrow('fidelity.dataFraction must be in (0, 1], got 0');
  });
});
