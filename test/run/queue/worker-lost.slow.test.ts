import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSearch } from '../../../src/run/search.js';
import { storedTrials } from '../helpers.js';
import { RedisServer, redisMissing } from './redis-server.js';
import { WorkerProcess, queuedConfig, storedLostAttempts } from './queue-fixture.js';

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

/** A worker (job locks of 3 s), once it listens. */
async function worker(): Promise<WorkerProcess> {
  const w = new WorkerProcess(redis.url);
  workers.push(w);
  await w.waitFor(/takes trials from/);
  return w;
}

describe.skipIf(missing !== undefined)('a trial whose workers keep dying', () => {
  it(
    'is recorded FAILED worker-lost once its job stalls twice, and the search ends with exactly its budget',
    { timeout: 240_000 },
    async () => {
      const first = await worker();
      const config = queuedConfig(redis.url, 3, { name: 'lost', dispatch: { queue: redis.url, inflight: 1 } });
      const search = startSearch(config, { emit: () => undefined });
      await first.waitFor(/runs trial 0 /);
      await first.stop('SIGKILL');
      const second = await worker(); // its stall check gives trial 0 back to the queue (first stall: retried)
      await second.waitFor(/runs trial 0 /);
      await second.stop('SIGKILL');
      const third = await worker(); // the second stall: BullMQ fails the job
      expect(await search).toBe('finished');

      const trials = await storedTrials(config);
      expect(trials.map((t) => `${t.number}:${t.state}${t.reason === undefined ? '' : `:${t.reason}`}`)).toEqual([
        '0:FAILED:worker-lost',
        '1:COMPLETE',
        '2:COMPLETE',
      ]);
      expect(trials[0]?.message).toBe(
        'WorkerLost: the worker running the trial was lost: job stalled more than allowable limit',
      );
      expect([first, second].map((w) => w.finished())).toEqual([[], []]);
      expect(third.finished()).toEqual([1, 2]); // trial 0 never ran a third time
      // Both lost attempts are recorded, each with the worker that ran it.
      expect((await storedLostAttempts(config)).map((a) => [a.number, a.worker])).toEqual([
        [0, `${hostname()}:${first.child.pid}`],
        [0, `${hostname()}:${second.child.pid}`],
      ]);
      await third.stop();
    },
  );
});
