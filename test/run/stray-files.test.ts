import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import type { Json } from '../../src/core/arch.js';
import { Rng } from '../../src/core/rng.js';
import { oneShotDir, trialModelDir } from '../../src/run/model-store.js';
import { runOneShotPhase } from '../../src/run/oneshot.js';
import { ModelRetention } from '../../src/run/model-retention.js';
import { resumeSearch } from '../../src/run/search.js';
import { createSpace } from '../../src/space/spaces/index.js';
import { completed, lookupEvaluator, testConfig } from './helpers.js';

// What a SIGKILL leaves on disk besides the SQLite file, and what a resume removes
// (test/run/kill-anywhere.slow.test.ts hits these moments on real runs).

function touch(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, 'x');
}

describe('files a killed search leaves, removed when it resumes', () => {
  it('model folders of trials that did not complete (saved, or half saved, before the driver died)', async () => {
    const config = testConfig({ name: 'strays', budget: { trials: 3 }, workers: 1 });
    const storage = await openSqliteStorage(config.storage);
    try {
      const experiment = await storage.createExperiment({
        name: config.name,
        config: config as unknown as Json,
        seed: config.seed,
      });
      const space = createSpace('nb201');
      const rng = new Rng(1);
      for (const number of [0, 1]) {
        const sample = space.sample(rng);
        const trial = await storage.createTrial(experiment.id, { number, sample, key: space.key(sample) });
        if (number === 0)
          await storage.finishTrial(trial.id, {
            state: 'COMPLETE',
            outcome: {
              metrics: { validationAccuracy: 0.5 },
              cost: {
                params: 1,
                paramsTotal: 1,
                macs: 1,
                trainMemoryBytes: 1,
                inferenceMemoryBytes: 1,
                estimatedLatencyMs: 1,
              },
              epochs: [],
              seconds: 0,
            },
          });
      }
    } finally {
      await storage.close();
    }
    // Trial 0 completed with its model saved; trial 1 was RUNNING, its model half written.
    for (const f of ['model.json', 'weights.bin']) touch(path.join(trialModelDir(config, 0), f));
    touch(path.join(trialModelDir(config, 1), 'model.json'));

    expect(
      await resumeSearch(config.storage, config.name, {
        emit: () => undefined,
        evaluator: lookupEvaluator(1, () => completed(0.5)),
      }),
    ).toBe('finished');
    const root = path.dirname(trialModelDir(config, 0));
    // The in-process evaluator saves no model: only the completed trial's folder is left.
    expect(fs.readdirSync(root).sort()).toEqual(['trial-0']);
    expect(fs.readdirSync(path.join(root, 'trial-0')).sort()).toEqual(['model.json', 'weights.bin']);
  });

  it('keepModels all keeps the folders of COMPLETE trials and other files of the experiment folder', async () => {
    const config = testConfig({ name: 'keep' });
    const root = path.dirname(trialModelDir(config, 0));
    for (const f of [
      'trial-3/model.json',
      'trial-4/model.json',
      'trial-10/weights.bin',
      'oneshot/epoch-1.ckpt',
      'notes.txt',
    ])
      touch(path.join(root, f));
    const trial = (number: number, state: 'COMPLETE' | 'FAILED') =>
      ({ id: number, number, sample: {}, key: `k${number}`, state, startedAt: 0 }) as const;
    await new ModelRetention(config).prune([trial(3, 'COMPLETE'), trial(4, 'FAILED'), trial(10, 'COMPLETE')]);
    expect(fs.readdirSync(root).sort()).toEqual(['notes.txt', 'oneshot', 'trial-10', 'trial-3']);
  });

  it("DARTS checkpoints: only the last recorded epoch's is kept (an unrecorded one, a temporary file and an older one are removed)", async () => {
    const config = testConfig({
      name: 'oneshot',
      space: { name: 'nb201', options: { cells: 1, channels: 4 } },
      strategy: { name: 'darts', options: { epochs: 2, candidates: 1 } },
    });
    const space = createSpace('nb201', config.space.options);
    const dir = oneShotDir(config);
    for (const f of ['epoch-1.ckpt', 'epoch-2.ckpt', 'epoch-2.ckpt.4242.tmp', 'epoch-3.ckpt']) touch(path.join(dir, f));
    const storage = await openSqliteStorage(config.storage);
    try {
      const experiment = await storage.createExperiment({
        name: config.name,
        config: config as unknown as Json,
        seed: config.seed,
      });
      const derived = space.sample(new Rng(3));
      for (const epoch of [1, 2])
        await storage.appendEvent(experiment.id, {
          type: 'oneshot-epoch',
          payload: { epoch, epochs: 2, derived, checkpoint: path.join(dir, `epoch-${epoch}.ckpt`) },
        });
      // Every epoch is recorded: nothing trains, the derived architecture goes to the trials.
      const phase = await runOneShotPhase(storage, experiment.id, config, space, { emit: () => undefined });
      expect(phase).toEqual({ status: 'finished', candidates: [derived] });
    } finally {
      await storage.close();
    }
    expect(fs.readdirSync(dir)).toEqual(['epoch-2.ckpt']);
  });
});
