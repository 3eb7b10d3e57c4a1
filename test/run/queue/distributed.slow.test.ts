import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { resumeSearch, startSearch } from '../../../src/run/search.js';
import { eventLog, tempDb, storedTrials } from '../helpers.js';
import { RedisServer, redisMissing } from './redis-server.js';
import { WorkerProcess, childEnvironments, queuedConfig, storedLostAttempts, workersOf } from './queue-fixture.js';
import { nasCopy } from './nas-copy.js';

const missing = redisMissing();
let redis: RedisServer;
const workers: WorkerProcess[] = [];
beforeAll(async () => {
  if (missing === undefined) redis = await RedisServer.start();
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop('SIGKILL')));
  await redis?.stop();
});

describe.skipIf(missing !== undefined)(
  'trials on `nas worker` processes through a BullMQ queue (Redis on loopback)',
  () => {
    it(
      'runs 30 trials on three workers: each completes exactly once, and every worker takes some',
      { timeout: 300_000 },
      async () => {
        const three = [0, 1, 2].map(() => new WorkerProcess(redis.url));
        workers.push(...three);
        await Promise.all(three.map((w) => w.waitFor(/takes trials from/)));
        const config = queuedConfig(redis.url, 30, { name: 'three' });
        const log = eventLog();
        expect(await startSearch(config, { emit: log.emit })).toBe('finished');

        const trials = await storedTrials(config);
        expect(trials.map((t) => t.state)).toEqual(Array(30).fill('COMPLETE'));
        expect(trials.map((t) => t.number).sort((a, b) => a - b)).toEqual([...Array(30).keys()]);
        const finished = three.map((w) => w.finished());
        const all = finished.flat().sort((a, b) => a - b);
        expect(all).toEqual([...Array(30).keys()]); // no trial ran twice
        const split = finished.map((f) => f.length);
        console.log(`30 trials split over three workers: ${split.join(' / ')}`);
        for (const count of split) expect(count).toBeGreaterThan(0);
        const labels = new Set(workersOf(log.events).values());
        expect(labels.size).toBe(3);
        expect(await storedLostAttempts(config)).toEqual([]);
        await Promise.all(three.map((w) => w.stop()));
      },
    );

    it(
      'takes back the trial of a worker SIGKILLed mid-trial: it completes once, on another worker, and the lost attempt is recorded',
      { timeout: 180_000 },
      async () => {
        const doomed = new WorkerProcess(redis.url);
        workers.push(doomed);
        await doomed.waitFor(/takes trials from/);
        const config = queuedConfig(redis.url, 4, { name: 'killed', dispatch: { queue: redis.url, inflight: 2 } });
        const log = eventLog();
        const search = startSearch(config, { emit: log.emit });
        const started = await doomed.waitFor(/runs trial/);
        const killedAt = Date.now();
        await doomed.stop('SIGKILL');
        const rescuer = new WorkerProcess(redis.url, ['--threads', '1']);
        workers.push(rescuer);
        expect(await search).toBe('finished');
        // --threads 1: the rescuer's pool process trains with one TensorFlow thread.
        const pools = childEnvironments(rescuer.child.pid as number).filter((env) => env.has('TF_NUM_INTRAOP_THREADS'));
        expect(pools.map((env) => [env.get('TF_NUM_INTRAOP_THREADS'), env.get('TF_NUM_INTEROP_THREADS')])).toEqual([
          ['1', '1'],
        ]);

        const trials = await storedTrials(config);
        expect(trials.map((t) => `${t.number}:${t.state}`)).toEqual([
          '0:COMPLETE',
          '1:COMPLETE',
          '2:COMPLETE',
          '3:COMPLETE',
        ]);
        expect(doomed.finished()).toEqual([]);
        expect(rescuer.finished().sort((a, b) => a - b)).toEqual([0, 1, 2, 3]);
        const killedTrial = Number(/runs trial (\d+)/.exec(started)?.[1]);
        expect(workersOf(log.events).get(killedTrial)).toMatch(new RegExp(`:${rescuer.child.pid}$`));
        // The killed attempt is recorded once, with the worker that announced it, and is not a trial of its own.
        const lost = await storedLostAttempts(config);
        const doomedLabel = /^(\S+) runs trial/.exec(started)?.[1];
        expect(doomedLabel).toMatch(new RegExp(`:${doomed.child.pid}$`));
        expect(lost.map((a) => [a.trialId, a.number, a.worker])).toEqual([
          [trials.find((t) => t.number === killedTrial)?.id, killedTrial, doomedLabel],
        ]);
        expect(lost[0]?.at).toBeGreaterThanOrEqual(killedAt);
        expect(lost[0]?.at).toBeLessThanOrEqual(Date.now());
        await rescuer.stop();
      },
    );

    it(
      'a worker of another nas version refuses the trials, and they run on the one that matches',
      { timeout: 180_000 },
      async () => {
        const older = nasCopy({ version: '0.0.0-older' });
        try {
          const stale = new WorkerProcess(redis.url, [], older.nas);
          workers.push(stale);
          await stale.waitFor(/takes trials from/);
          const config = queuedConfig(redis.url, 2, { name: 'versions' });
          const search = startSearch(config, { emit: () => undefined });
          const refusal = await stale.waitFor(/refused trial/);
          expect(refusal).toMatch(/the driver runs nas \S+\+q2, this worker 0\.0\.0-older\+q2/);
          const current = new WorkerProcess(redis.url);
          workers.push(current);
          expect(await search).toBe('finished');
          expect((await storedTrials(config)).map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE']);
          expect(stale.finished()).toEqual([]);
          expect(current.finished().sort()).toEqual([0, 1]);
          await Promise.all([stale.stop(), current.stop()]);
        } finally {
          rmSync(older.dir, { recursive: true, force: true });
        }
      },
    );

    it(
      'a worker whose data set differs refuses the trials, and they run on the one whose data matches',
      { timeout: 240_000 },
      async () => {
        const other = nasCopy({ otherMnist: true });
        try {
          const mismatched = new WorkerProcess(redis.url, [], other.nas);
          workers.push(mismatched);
          await mismatched.waitFor(/takes trials from/);
          const config = queuedConfig(redis.url, 2, {
            name: 'data',
            dataset: { name: 'mnist', options: {}, validationFraction: 0.25, subset: 256 },
          });
          const search = startSearch(config, { emit: () => undefined });
          const refusal = await mismatched.waitFor(/refused trial/, 120_000);
          expect(refusal).toMatch(
            /refused trial \d+ of data \(job [^)]+\): data set mnist differs here \(fingerprint sha256:[0-9a-f]{12}…, the driver's sha256:[0-9a-f]{12}…\)$/,
          );
          const current = new WorkerProcess(redis.url);
          workers.push(current);
          expect(await search).toBe('finished');
          expect((await storedTrials(config)).map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE']);
          expect(mismatched.finished()).toEqual([]);
          expect(current.finished().sort()).toEqual([0, 1]);
          await Promise.all([mismatched.stop(), current.stop()]);
        } finally {
          rmSync(other.dir, { recursive: true, force: true });
        }
      },
    );

    it(
      'a driver SIGKILLed while workers train: resume records what they delivered and ends with exactly the budget',
      { timeout: 240_000 },
      async () => {
        const pair = [0, 1].map(() => new WorkerProcess(redis.url));
        workers.push(...pair);
        await Promise.all(pair.map((w) => w.waitFor(/takes trials from/)));
        const db = tempDb();
        const driver = spawn(
          process.execPath,
          ['--import', 'tsx', path.join(import.meta.dirname, 'driver-child.ts'), redis.url, db, '8'],
          { stdio: 'ignore' },
        );
        const exited = new Promise((resolve) => driver.once('exit', resolve));
        await Promise.race(pair.map((w) => w.waitFor(/finished trial 1 /)));
        driver.kill('SIGKILL');
        await exited;
        const running = (await storedTrials({ storage: db, name: 'crash' }))
          .filter((t) => t.state === 'RUNNING')
          .map((t) => t.number);
        await new Promise((r) => setTimeout(r, 3000)); // the workers finish what they run, with no driver

        expect(await resumeSearch(db, 'crash', { emit: () => undefined })).toBe('finished');
        const trials = await storedTrials({ storage: db, name: 'crash' });
        console.log(
          `driver killed with trials ${running.join(', ')} running; after resume: ${trials.map((t) => `${t.number}:${t.state}${t.reason ? `(${t.reason})` : ''}`).join(' ')}`,
        );
        expect(trials.filter((t) => t.state === 'COMPLETE')).toHaveLength(8);
        expect(running.length).toBeGreaterThan(0);
        for (const number of running) expect(trials.find((t) => t.number === number)?.state).toBe('COMPLETE'); // recorded from their jobs, not re-run
        const finished = pair.flatMap((w) => w.finished()).sort((a, b) => a - b);
        expect(finished).toEqual([...new Set(finished)]); // no trial ran twice
        expect(finished).toEqual(
          trials
            .filter((t) => t.state === 'COMPLETE')
            .map((t) => t.number)
            .sort((a, b) => a - b),
        );
        await Promise.all(pair.map((w) => w.stop()));
      },
    );
  },
);
