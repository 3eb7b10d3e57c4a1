// No tensor, session or memory leak over many compiled trials in one worker thread: after each trial
// the tensors and loaded SavedModel sessions are back to where they were before the first, and the
// resident memory stops growing once TensorFlow's allocator and the kernels are warm.
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

type Report = { trial: number; tensors: number; sessions: number; rss: number; engine?: string; backend?: string };

const TRIALS = 50;
const MiB = 2 ** 20;
/**
 * Resident memory allowed to grow from trial 10 to trial 50. Measured: 559 MiB after trial 10, then
 * 582, 590, 623, 611 and 595 MiB after trials 20 to 60 (a plateau; the allocator's and V8's noise,
 * up to about 65 MiB). A session outliving its trial would keep at least its 9.4 MiB of weights and
 * momentum, 376 MiB over the 40 trials.
 */
const RSS_GROWTH = 150 * MiB;

function runWorker(): Promise<Report[]> {
  const file = new URL('./fixtures/many-trials.ts', import.meta.url).href;
  const worker = new Worker(new URL('./fixtures/ts-worker.mjs', import.meta.url), {
    workerData: { file, trials: TRIALS },
  });
  const reports: Report[] = [];
  return new Promise((resolve, reject) => {
    worker.on('message', (r: Report) => reports.push(r));
    worker.on('error', reject);
    worker.on('exit', () => resolve(reports));
  });
}

describe('many compiled trials in one worker thread', () => {
  it(`leave no tensor, session or growing memory behind (${TRIALS} trials)`, async () => {
    const reports = await runWorker();
    expect(reports).toHaveLength(TRIALS + 1);
    const [before] = reports as [Report];
    expect(before.backend).toBe('tensorflow');
    for (const r of reports.slice(1)) {
      expect(r.engine, `trial ${r.trial}`).toBe('compiled');
      expect(r.tensors, `tensors after trial ${r.trial}`).toBe(before.tensors);
      expect(r.sessions, `sessions after trial ${r.trial}`).toBe(before.sessions);
    }
    const growth = (reports[TRIALS] as Report).rss - (reports[10] as Report).rss;
    expect(growth / MiB).toBeLessThan(RSS_GROWTH / MiB);
  });
});
