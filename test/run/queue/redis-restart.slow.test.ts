import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSearch } from '../../../src/run/search.js';
import { eventLog, storedTrials } from '../helpers.js';
import { RedisServer, redisMissing } from './redis-server.js';
import { WorkerProcess, queuedConfig } from './queue-fixture.js';

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

describe.skipIf(missing !== undefined)('a distributed search while Redis restarts', () => {
  it(
    'goes on when Redis is back (append-only file, same port): every trial completes exactly once',
    { timeout: 300_000 },
    async () => {
      // Job locks outlast the outage: a lock that expires while Redis is down makes its job stall and run again.
      const pair = [0, 1].map(() => new WorkerProcess(redis.url, ['--lock-ms', '30000']));
      workers.push(...pair);
      await Promise.all(pair.map((w) => w.waitFor(/takes trials from/)));
      const config = queuedConfig(redis.url, 10, { name: 'restart', dispatch: { queue: redis.url, inflight: 2 } });
      const log = eventLog();
      const search = startSearch(config, { emit: log.emit });
      await Promise.race(pair.map((w) => w.waitFor(/finished trial 1 /)));
      const runningAtStop = await runningOn(pair);
      await redis.restart(3000);
      expect(await search).toBe('finished');

      const trials = await storedTrials(config);
      expect(trials.map((t) => `${t.number}:${t.state}`)).toEqual([...Array(10).keys()].map((n) => `${n}:COMPLETE`));
      const finished = pair.flatMap((w) => w.finished()).sort((a, b) => a - b);
      expect(finished).toEqual([...Array(10).keys()]); // each ran once: none lost, none twice
      console.log(
        `Redis down 3 s with trials ${runningAtStop.join(', ') || '(none)'} running; split ${pair.map((w) => w.finished().length).join(' / ')}`,
      );
      for (const w of pair) expect(w.lines.filter((l) => /ECONNREFUSED/.test(l)).length).toBeLessThanOrEqual(3); // one line per outage and connection kind, not one per retry
      await Promise.all(pair.map((w) => w.stop()));
    },
  );
});

/** The trials the workers run now, once at least one runs. */
async function runningOn(workers: readonly WorkerProcess[]): Promise<number[]> {
  for (;;) {
    const running = workers.flatMap((w) => w.running());
    if (running.length > 0) return running;
    await new Promise((r) => setTimeout(r, 20));
  }
}
