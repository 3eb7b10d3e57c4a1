import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { openSqliteStorage, type Storage } from '../../../src/backend/storage/index.js';
import { Db } from '../../../src/backend/storage/sqlite-db.js';
import type { Trial } from '../../../src/core/trial.js';
import { epoch, outcome, sample } from './values.js';
import { tempDir } from './temp.js';

const dir = tempDir();
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;

async function countInAnotherProcess(file: string): Promise<{ journal: string; counts: Record<string, number> }> {
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(fixtures, 'count-trials.mjs'), file]);
  return JSON.parse(stdout) as { journal: string; counts: Record<string, number> };
}

describe('SQLite storage across processes and threads', () => {
  it('lets another process read while this one holds the file open and writes (WAL)', async () => {
    const file = path.join(dir, 'shared.db');
    const storage = await openSqliteStorage(file);
    const experiment = await storage.createExperiment({ name: 'shared', config: {}, seed: 1 });
    const trials: Trial[] = [];
    for (let n = 0; n < 5; n++)
      trials.push(await storage.createTrial(experiment.id, { number: n, sample: sample(n), key: `${n}` }));
    for (const t of trials.slice(0, 3)) await storage.finishTrial(t.id, { state: 'COMPLETE', outcome: outcome(2) });

    expect(existsSync(`${file}-wal`)).toBe(true);
    expect(await countInAnotherProcess(file)).toEqual({ journal: 'wal', counts: { COMPLETE: 3, RUNNING: 2 } });
    await storage.finishTrial(trials[3]!.id, { state: 'FAILED', reason: 'timeout' });
    expect((await countInAnotherProcess(file)).counts).toEqual({ COMPLETE: 3, FAILED: 1, RUNNING: 1 });
    await storage.close();
  });

  it('refuses to write from a worker thread, and lets it read', async () => {
    const file = path.join(dir, 'threads.db');
    const storage = await openSqliteStorage(file);
    await storage.createExperiment({ name: 'main-thread', config: {}, seed: 1 });
    const worker = new Worker(path.join(fixtures, 'open-in-worker.mjs'), { workerData: { file } });
    const [seen] = (await once(worker, 'message')) as [unknown];
    await worker.terminate();
    expect(seen).toEqual({ writing: 'NOT_MAIN_THREAD', names: ['main-thread'] });
    await storage.close();
  });

  // The kill lands at a different point of the writer's loop for each delay (between statements,
  // inside a finishing transaction, among epoch writes); each file must come out whole.
  it.each([0, 5, 12])(
    'survives a writer killed mid-search (%i ms after its 30th trial): intact file, whole trials, a resume that ends at the budget',
    async (delay) => {
      const file = path.join(dir, `killed-${delay}.db`);
      const inflight = 2;
      await killWriterAfter(file, 30, delay, inflight);

      const raw = await Db.open(file, true);
      expect(await raw.get('PRAGMA integrity_check')).toEqual({ integrity_check: 'ok' });
      expect(await raw.get('PRAGMA foreign_key_check')).toBeUndefined();
      await raw.close();

      const storage = await openSqliteStorage(file);
      const experiment = (await storage.getExperiment('killed'))!;
      const trials = await storage.listTrials(experiment.id);
      expect(trials.length).toBeGreaterThanOrEqual(30);
      expect(trials.map((t) => t.number)).toEqual(trials.map((_, i) => i));
      await expectWholeTrials(storage, trials, inflight);

      await resumeToBudget(storage, experiment.id, trials.length + 10);
      await storage.close();
    },
  );
});

/** Runs the writer fixture until it reports `trials` trials, waits `delay` ms, and SIGKILLs it. */
async function killWriterAfter(file: string, trials: number, delay: number, inflight: number): Promise<void> {
  const child = spawn(
    process.execPath,
    ['--import', TSX, path.join(fixtures, 'write-trials.ts'), file, 'killed', String(inflight)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (Number(chunk.toString().trim().split('\n').pop()) >= trials) resolve();
    });
    void exited.then(() => reject(new Error(`the writer ended before it was killed:\n${stderr}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, delay));
  process.kill(child.pid!, 'SIGKILL');
  expect(await exited).toBe('SIGKILL');
}

/** COMPLETE trials carry their whole outcome (3 epochs, NaN loss kept); the newest few are RUNNING, with partial epochs. */
async function expectWholeTrials(storage: Storage, trials: readonly Trial[], inflight: number): Promise<void> {
  const running = trials.filter((t) => t.state === 'RUNNING');
  expect(running.length).toBeGreaterThanOrEqual(1);
  expect(running.length).toBeLessThanOrEqual(inflight + 1);
  expect(running.map((t) => t.number)).toEqual(trials.slice(-running.length).map((t) => t.number));
  for (const t of trials.filter((x) => x.state === 'COMPLETE')) {
    expect(t.outcome?.epochs).toStrictEqual([epoch(0), epoch(1), epoch(2)]);
    expect(t.outcome?.metrics.loss).toBeNaN();
    expect(t.finishedAt).toBeGreaterThanOrEqual(t.startedAt);
  }
  for (const t of running) {
    expect(t.outcome).toBeUndefined();
    expect((await storage.listEpochs(t.id)).length).toBeLessThanOrEqual(inflight + 1);
  }
}

/**
 * What `nas resume` does with the file (the driver's part, reduced to its storage calls): mark the
 * trials the dead process left RUNNING as interrupted, re-run each of their samples once, then new
 * samples until the budget of COMPLETE trials is reached.
 */
async function resumeToBudget(storage: Storage, experimentId: number, budget: number): Promise<void> {
  const interrupted = await storage.markInterrupted(experimentId);
  expect(interrupted.length).toBeGreaterThanOrEqual(1);
  let next = (await storage.listTrials(experimentId)).length;
  const queue = interrupted.map((t) => ({ sample: t.sample, key: t.key, retryOf: t.number }));
  while ((await storage.listTrials(experimentId, { state: 'COMPLETE' })).length < budget) {
    const proposal = queue.shift() ?? { sample: sample(next), key: `s${next}` };
    const trial = await storage.createTrial(experimentId, { number: next++, ...proposal });
    await storage.finishTrial(trial.id, { state: 'COMPLETE', outcome: outcome(3) });
  }

  const all = await storage.listTrials(experimentId);
  const complete = all.filter((t) => t.state === 'COMPLETE');
  expect(complete.length).toBe(budget);
  expect(new Set(complete.map((t) => t.key)).size).toBe(budget);
  expect(all.filter((t) => t.state === 'RUNNING')).toEqual([]);
  for (const t of interrupted) {
    expect(all.filter((x) => x.retryOf === t.number).map((x) => [x.key, x.state])).toEqual([[t.key, 'COMPLETE']]);
  }
}
