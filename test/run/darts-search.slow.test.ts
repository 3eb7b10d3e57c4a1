import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import type { OneShotStart } from '../../src/core/events.js';
import type { ExperimentConfig } from '../../src/run/config.js';
import { storedEpochs } from '../../src/run/oneshot.js';
import { resumeSearch, startSearch } from '../../src/run/search.js';
import { createSpace } from '../../src/space/spaces/index.js';
import { eventLog, tempDb, testConfig } from './helpers.js';

/** DARTS on the NB201 cell (1 cell per stage, 4 channels) over 800 synthetic 8×8 images: 13 steps an epoch. */
const config: ExperimentConfig = testConfig({
  name: 'darts-nb201',
  dataset: {
    name: 'synthetic',
    options: { trainCount: 1000, testCount: 100, classes: 4, noise: 0.4 },
    validationFraction: 0.2,
  },
  space: { name: 'nb201', options: { cells: 1, channels: 4 } },
  strategy: { name: 'darts', options: { order: 'first', epochs: 4, batchSize: 32, candidates: 2 } },
  train: { epochs: 1, batchSize: 32 },
  budget: { trials: 5 },
  workers: 1,
});

async function read(file: string, name: string) {
  const storage = await openSqliteStorage(file);
  try {
    const experiment = await storage.getExperiment(name);
    if (experiment === undefined) return { epochs: [], starts: [], trials: [] };
    const starts = (await storage.listEvents(experiment.id, { type: 'oneshot-started' })).map(
      (e) => e.payload as unknown as OneShotStart,
    );
    return {
      epochs: await storedEpochs(storage, experiment.id),
      starts,
      trials: await storage.listTrials(experiment.id),
    };
  } finally {
    await storage.close();
  }
}

describe('a DARTS search (isolated pool, native backend, SQLite)', () => {
  it('killed with SIGKILL after an epoch, resumes from its checkpoint to the same α as an uninterrupted run, then trains the derived cells as trials', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', new URL('./fixtures/search-real.ts', import.meta.url).pathname, JSON.stringify(config)],
      { stdio: 'ignore' },
    );
    const exited = new Promise((resolve) => child.on('exit', resolve));
    for (let i = 0; i < 2400 && (await read(config.storage, config.name)).epochs.length < 1; i++)
      await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGKILL');
    await exited;
    const killed = await read(config.storage, config.name);
    expect(killed.epochs.length).toBeGreaterThanOrEqual(1);
    expect(killed.epochs.length).toBeLessThan(4);

    const log = eventLog();
    expect(await resumeSearch(config.storage, config.name, { emit: log.emit })).toBe('finished');
    const resumed = await read(config.storage, config.name);
    // Every epoch once, the resumed run starting after the last recorded one.
    expect(resumed.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
    expect(resumed.starts.map((s) => s.startEpoch)).toEqual([1, killed.epochs.length + 1]);
    for (const e of killed.epochs) expect(resumed.epochs[e.epoch - 1]).toEqual(e);
    // Only the last checkpoint is kept.
    expect(resumed.epochs.slice(0, 3).every((e) => !existsSync(e.checkpoint))).toBe(true);
    expect(existsSync(resumed.epochs[3]?.checkpoint ?? '')).toBe(true);

    // The derived cells went through the ordinary trial path: built fresh, trained, recorded.
    const space = createSpace('nb201', config.space.options);
    for (const e of resumed.epochs) expect(space.validate(e.derived)).toEqual([]);
    const derivedKeys = [...new Set(resumed.epochs.map((e) => space.key(e.derived)).reverse())].slice(0, 2);
    expect(resumed.trials.map((t) => t.key)).toEqual(derivedKeys);
    expect(resumed.trials.every((t) => t.state === 'COMPLETE' && (t.outcome?.epochs.length ?? 0) === 1)).toBe(true);
    expect(log.events.some((e) => e.type === 'oneshot-epoch')).toBe(true);

    // An uninterrupted run of the same config reaches the same α and the same derived cells.
    const again = { ...config, storage: tempDb() };
    expect(await startSearch(again, { emit: () => undefined })).toBe('finished');
    const straight = await read(again.storage, again.name);
    expect(straight.epochs.map((e) => e.weights)).toEqual(resumed.epochs.map((e) => e.weights));
    expect(straight.trials.map((t) => t.key)).toEqual(resumed.trials.map((t) => t.key));
  });
});
