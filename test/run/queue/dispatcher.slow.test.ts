// The queue dispatcher's own logic against a real Redis, with no training: the worker is the real
// queue worker (startQueueWorker, what `nas worker` runs) in this process, on an in-process evaluator.
// Slow tier because it needs redis-server; it runs in seconds.
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TrialProgress } from '../../../src/core/events.js';
import type { Evaluator } from '../../../src/run/evaluator.js';
import { QueueDispatcher } from '../../../src/run/queue/dispatcher.js';
import { startQueueWorker, type QueueWorker } from '../../../src/run/queue/queue-worker.js';
import { datasetFingerprint } from '../../../src/run/worker/data-fingerprint.js';
import type { TrialTask } from '../../../src/run/worker/trial-task.js';
import { completed, lookupEvaluator, testConfig } from '../helpers.js';
import { RedisServer, redisMissing } from './redis-server.js';

const missing = redisMissing();
let redis: RedisServer;
const open: { close(): Promise<void> }[] = [];
beforeAll(async () => {
  if (missing === undefined) redis = await RedisServer.start();
});
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});
afterAll(async () => {
  await redis?.stop();
});

const config = testConfig({
  dataset: {
    name: 'synthetic',
    options: { trainCount: 16, testCount: 8, height: 4, width: 4, channels: 1, classes: 2 },
    validationFraction: 0.25,
  },
});
const task = (trialId: number): TrialTask => ({ version: 1, trialId, number: trialId, sample: {}, config, seed: 1 });
let experiments = 0;

async function dispatcher(fingerprint?: string): Promise<QueueDispatcher> {
  const d = await QueueDispatcher.open({
    url: redis.url,
    inflight: 2,
    experiment: { id: ++experiments, createdAt: Date.now() },
    fingerprint: fingerprint ?? (await datasetFingerprint(config.dataset)),
    pollMs: 200,
  });
  open.push(d);
  return d;
}

/** The real queue worker on `evaluator`; `ran` lists the trial numbers it evaluated. */
async function worker(evaluator: Evaluator): Promise<QueueWorker> {
  const w = await startQueueWorker({ url: redis.url, concurrency: 1, evaluator, log: () => undefined });
  open.push(w);
  return w;
}

function counting(ran: number[]): Evaluator {
  return lookupEvaluator(1, (t) => {
    ran.push(t.number);
    return completed(t.number / 10);
  });
}

async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await condition()); i++) await new Promise((r) => setTimeout(r, 25));
}

describe.skipIf(missing !== undefined)('the queue dispatcher on Redis, with a worker that does not train', () => {
  it("returns the worker's outcome; the job stays until the trial is recorded", async () => {
    const ran: number[] = [];
    await worker(counting(ran));
    const d = await dispatcher();
    expect(await d.run(task(7))).toEqual(completed(0.7));
    expect(await d.has(7)).toBe(true);
    await d.recorded(7);
    expect(await d.has(7)).toBe(false);
    expect(ran).toEqual([7]);
  });

  it('queues a job again when Redis lost it (a restart without persistence), at the next look-up', async () => {
    const d = await dispatcher();
    const outcome = d.run(task(1));
    await until(() => d.has(1));
    const client = new Redis(redis.url);
    await client.flushall();
    client.disconnect();
    expect(await d.has(1)).toBe(false);
    await until(() => d.has(1)); // the dispatcher's poll (200 ms here) found it gone and queued it again
    expect(await d.has(1)).toBe(true);
    const ran: number[] = [];
    await worker(counting(ran));
    expect(await outcome).toEqual(completed(0.1));
    expect(ran).toEqual([1]);
  });

  it('removes a job no worker took when its trial is cancelled', async () => {
    const d = await dispatcher();
    const stop = new AbortController();
    const outcome = d.run(task(2), { signal: stop.signal });
    await until(() => d.has(2));
    stop.abort();
    expect(await outcome).toEqual({
      ok: false,
      kind: 'cancelled',
      error: { name: 'Cancelled', message: 'the trial was cancelled before a worker took it' },
    });
    expect(await d.has(2)).toBe(false);
  });

  it('stops a running trial on its worker when it is cancelled (a Redis message)', async () => {
    const started: number[] = [];
    await worker({
      concurrency: 1,
      run: (t, options) =>
        new Promise((resolve) => {
          started.push(t.number);
          options?.signal?.addEventListener('abort', () =>
            resolve({ ok: false, kind: 'cancelled', error: { name: 'Cancelled', message: 'stopped on its worker' } }),
          );
        }),
      close: async () => undefined,
    });
    const d = await dispatcher();
    const stop = new AbortController();
    const outcome = d.run(task(3), { signal: stop.signal });
    await until(async () => started.length > 0);
    stop.abort();
    expect(await outcome).toEqual({
      ok: false,
      kind: 'cancelled',
      error: { name: 'Cancelled', message: 'stopped on its worker' },
    });
  });

  it("tells the driver, as the trial's progress, why a worker refuses it", async () => {
    const ran: number[] = [];
    await worker(counting(ran));
    const d = await dispatcher('sha256:0123456789abcdef0123'); // the driver's data differ from the worker's
    const notes: string[] = [];
    const stop = new AbortController();
    const outcome = d.run(task(4), {
      signal: stop.signal,
      onProgress: (p: TrialProgress) => {
        if (p.kind === 'note') notes.push(p.text);
      },
    });
    await until(async () => notes.length > 0);
    stop.abort();
    expect((await outcome).ok).toBe(false);
    expect(notes[0]).toMatch(
      /^\S+:\d+ refused it: data set synthetic differs here \(fingerprint sha256:[0-9a-f]{12}…, the driver's sha256:0123456789ab…\)$/,
    );
    expect(ran).toEqual([]);
  });
});
