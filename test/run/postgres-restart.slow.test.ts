import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import { openStorage, type Experiment } from '../../src/backend/storage/index.js';
import type { Trial } from '../../src/core/trial.js';
import { countsAgainstBudget } from '../../src/run/driver.js';
import type { Nb201Sample } from '../../src/space/spaces/nb201/index.js';
import { describePostgres } from '../backend/storage/postgres-describe.js';
import { ROOT, runCli, tempDir } from '../cli/helpers.js';
import { smoothAccuracy, smoothTableConfig } from './table-fixture.js';

// Fault 6 of issue 15: the PostgreSQL server of a search restarted, or stopped for good, in the middle
// of a real `nas search` (a table search: each trial is a handful of writes). A restart is ridden
// out: the writes retry and the search ends with its budget, nothing doubled or half-written. A
// server that stays down past the retries (about 31 s) stops the search resumably with a message
// saying so; once the server is back, `nas resume` ends with exactly the budget (docs/storage.md).

/** How a `nas search` ended, and how many trials it had reported finished when `fault` was done. */
interface Faulted {
  readonly code: number | null;
  readonly stderr: string;
  readonly finished: number;
  readonly finishedAtFault: number;
}

/** Runs `nas search <config> --reporter json` and calls `fault` once the `at`-th trial is reported finished. */
function searchWithFault(config: string, at: number, fault: () => Promise<void>): Promise<Faulted> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/nas.js'), 'search', config, '--reporter', 'json'], {
      cwd: path.dirname(config),
      env: { ...process.env, NO_COLOR: '1' },
    });
    let finished = 0;
    let faulted: Promise<number> | undefined;
    let stderr = '';
    let pending = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if ((JSON.parse(line) as { type: string }).type !== 'trial-finished') continue;
        if (++finished === at) faulted = fault().then(() => finished);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (faulted === undefined)
        return reject(new Error(`the search ended after ${finished} trials, before the fault`));
      faulted.then((finishedAtFault) => resolve({ code, stderr, finished, finishedAtFault }), reject);
    });
  });
}

async function recorded(url: string, name: string): Promise<{ experiment?: Experiment; trials: readonly Trial[] }> {
  const storage = await openStorage(url, { readonly: true });
  try {
    const experiment = await storage.getExperiment(name);
    return {
      ...(experiment === undefined ? {} : { experiment }),
      trials: experiment === undefined ? [] : await storage.listTrials(experiment.id),
    };
  } finally {
    await storage.close();
  }
}

/** Every COMPLETE trial whole (its table value, its epoch), numbers 0..n-1 once each, and `budget` of them counting. */
function expectWhole(trials: readonly Trial[], budget: number): void {
  expect(trials.map((t) => t.number)).toEqual(Array.from({ length: trials.length }, (_, i) => i));
  const complete = trials.filter((t) => t.state === 'COMPLETE');
  for (const t of complete) expect(t.outcome?.metrics.acc).toBe(smoothAccuracy(t.sample as Nb201Sample));
  expect(trials.filter(countsAgainstBudget)).toHaveLength(budget);
  expect(complete).toHaveLength(budget);
}

describePostgres('a search whose PostgreSQL server is restarted or stopped', (server) => {
  it('rides out a restart mid-search: the search ends with its budget, nothing doubled or half-written', async () => {
    const url = await server().createDatabase('restarted');
    const config = smoothTableConfig(tempDir('nas-pg-restart-'), 'restarted', url, 300);
    const started = Date.now();
    const run = await searchWithFault(config, 20, () => server().restart());
    console.log(
      `restart: done after trial ${run.finishedAtFault} of 300 had finished; search ended in ${Date.now() - started} ms`,
    );
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.finishedAtFault).toBeLessThan(300); // the search still had trials to write once the server was back
    expect(run.finished).toBe(300);
    const { experiment, trials } = await recorded(url, 'restarted');
    expect(experiment?.status).toBe('finished');
    expect(trials).toHaveLength(300);
    expectWhole(trials, 300);
  }, 180_000);

  it('stops resumably when the server stays down past the retries; `nas resume` then ends with exactly the budget', async () => {
    const url = await server().createDatabase('down');
    const dir = tempDir('nas-pg-down-');
    const started = Date.now();
    const run = await searchWithFault(smoothTableConfig(dir, 'down', url, 300), 20, () => server().stop());
    console.log(
      `stop: after trial ${run.finishedAtFault} of 300; the search stopped ${Date.now() - started} ms after it started`,
    );
    const port = server().port;
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(
        `^StorageError: cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED; \\d+ tries over \\d+\\.\\d s\\); the search stopped, and every trial recorded before is kept\\n` +
          '  what to do: start the PostgreSQL server, or restore the network to it, then continue with `nas resume down`\\n$',
      ),
    );
    expect(run.finished).toBeLessThan(300);
    await server().start();

    const before = await recorded(url, 'down');
    expect(before.experiment?.status).toBe('running'); // its last status could not be written either: as after a crash
    expect(before.trials.filter((t) => t.state !== 'COMPLETE' && t.state !== 'RUNNING')).toEqual([]);
    expect(before.trials.filter((t) => t.state === 'RUNNING').length).toBeLessThanOrEqual(1); // the trial whose finish was refused
    const complete = before.trials.filter((t) => t.state === 'COMPLETE');
    expect(complete.length).toBeGreaterThanOrEqual(run.finished - 1);

    const resumed = await runCli(['resume', 'down', '--storage', url, '--reporter', 'json'], dir);
    expect([resumed.code, resumed.stderr]).toEqual([0, '']);
    const after = await recorded(url, 'down');
    expect(after.experiment?.status).toBe('finished');
    expectWhole(after.trials, 300);
    for (const t of complete) expect(after.trials.find((a) => a.id === t.id)).toEqual(t);
    const interrupted = after.trials.filter((t) => t.state === 'FAILED');
    expect(interrupted.map((t) => t.reason)).toEqual(interrupted.map(() => 'interrupted'));
    for (const t of interrupted) expect(after.trials.filter((r) => r.retryOf === t.number)).toHaveLength(1);
  }, 180_000);
});
