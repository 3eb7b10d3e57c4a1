import { afterAll, describe, expect, it } from 'vitest';
import { IsolatedPool } from '../../src/backend/pool/isolated-pool.js';
import type { EntryOf } from '../../src/backend/pool/protocol.js';
import type { TrialProgress } from '../../src/core/events.js';
import { outcomeToFinish } from '../../src/run/outcome.js';
import type { ExperimentConfig } from '../../src/run/config.js';
import type { TrialTask } from '../../src/run/worker/trial-task.js';
import { createSpace } from '../../src/space/spaces/index.js';
import type run from './fixtures/stop-probe-worker.js';
import type { ThreadReport } from './fixtures/stop-probe-worker.js';
import { testConfig } from './helpers.js';

// A pruned or cancelled trial ends itself in its worker (the pool's cooperative stop): the thread
// lives on with its data cache, and the stopped run leaves no tensor behind.
const entry: EntryOf<typeof run> = { url: new URL('./fixtures/stop-probe-worker.ts', import.meta.url).href };
const config: ExperimentConfig = testConfig({
  dataset: { name: 'mnist', options: {}, validationFraction: 0.1, subset: 1000 },
  space: { name: 'nb201', options: { cells: 1, channels: 8 } },
  train: { epochs: 30, batchSize: 16 },
  workers: 1,
});
const sample = createSpace('nb201', { cells: 1, channels: 8 }).parse(
  '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|',
);
const task = (number: number, epochs: number): TrialTask => ({
  version: 1,
  trialId: number,
  number,
  sample,
  config: { ...config, train: { ...config.train, epochs } },
  seed: number,
});
const pool = new IsolatedPool({ workerEntry: entry, workers: 1, threads: { intraOp: 1, interOp: 1 } });
afterAll(() => pool.close());

describe('the cooperative stop of a trial (real pool, real training on MNIST)', () => {
  it('ends a trial cancelled mid-epoch and one timed out in their thread, which then trains the next with its data cached', async () => {
    const reports: ThreadReport[] = [];
    const batches: TrialProgress[] = [];
    const cancel = new AbortController();
    const cancelled = await pool.run(task(1, 30), {
      signal: cancel.signal,
      onProgress: (p) => {
        if (p.kind === 'thread') reports.push(p);
        else if (p.kind === 'batch') {
          batches.push(p);
          cancel.abort(); // the first batch report comes after the first batch: the trial is mid-epoch
        }
      },
    });
    expect(batches[0]).toMatchObject({ kind: 'batch', epoch: 1 });
    expect(cancelled).toMatchObject({ ok: false, kind: 'cancelled', error: { name: 'TaskStopped' } });
    expect(outcomeToFinish(cancelled)).toMatchObject({ state: 'FAILED', reason: 'cancelled' });

    const onProgress = (p: TrialProgress | ThreadReport) => (p.kind === 'thread' ? reports.push(p) : undefined);
    const timedOut = await pool.run(task(2, 30), { timeoutMs: 4000, onProgress });
    expect(timedOut).toMatchObject({ ok: false, kind: 'timeout', error: { name: 'TaskStopped' } });
    const done = await pool.run(task(3, 1), { onProgress });
    expect(done.ok).toBe(true);

    const thread = reports[0]?.threadId;
    const tensors = reports[0]?.tensors;
    expect(reports.map(({ phase, started, cachedData }) => ({ phase, started, cachedData }))).toEqual([
      { phase: 'start', started: 1, cachedData: false },
      { phase: 'end', started: 1, cachedData: false },
      { phase: 'start', started: 2, cachedData: true },
      { phase: 'end', started: 2, cachedData: true },
      { phase: 'start', started: 3, cachedData: true },
      { phase: 'end', started: 3, cachedData: true },
    ]);
    expect(reports.map((r) => r.threadId)).toEqual(Array(6).fill(thread));
    expect(reports.map((r) => r.tensors)).toEqual(Array(6).fill(tensors)); // nothing left by a stopped run
    expect(pool.starts).toBe(1);
  }, 180_000);
});
