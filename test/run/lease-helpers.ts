import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import { Db } from '../../src/backend/storage/sqlite-db.js';
import type { ExperimentConfig } from '../../src/run/config.js';
import type { Evaluator } from '../../src/run/evaluator.js';
import { startSearch } from '../../src/run/search.js';
import { createSpace } from '../../src/space/spaces/index.js';
import { completed, fakeAccuracy, lookupEvaluator, testConfig } from './helpers.js';

// Fixtures of the owner-lease tests: drivers in other processes that hold an experiment while the
// test looks, and what the test looks at.

const space = createSpace('nb201');

/** The budget of every experiment of these tests. */
export const BUDGET = 12;

/** Completes a trial with the fake accuracy of its key, after `delayMs`. */
export const byKey = (delayMs = 0) =>
  lookupEvaluator(
    2,
    (task) => completed(fakeAccuracy(space.key(task.sample as never))),
    () => delayMs,
  );

/**
 * Trials that finish only once the file `gate` exists (as `byKey` would) or when cancelled: a
 * driver on this evaluator holds its experiment with two RUNNING trials for as long as the test wants.
 */
export function gatedEvaluator(gate: string): Evaluator {
  return {
    concurrency: 2,
    run: (task, options) =>
      new Promise((resolve) => {
        const timer = setInterval(() => {
          if (options?.signal?.aborted === true)
            resolve({ ok: false, kind: 'cancelled', error: { name: 'Cancelled', message: 'cancelled' } });
          else if (existsSync(gate)) resolve(completed(fakeAccuracy(space.key(task.sample as never))));
          else return;
          clearInterval(timer);
        }, 10);
      }),
    close: async () => undefined,
  };
}

/** An experiment "exp" in `db` stopped (like Ctrl-C) after its first 4 trials finished. */
export async function stoppedExperiment(db: string, config: Partial<ExperimentConfig> = {}): Promise<void> {
  const listeners: ((why: string) => void)[] = [];
  let finished = 0;
  const emit = (e: { type: string }) => {
    if (e.type === 'trial-finished' && ++finished === 4) for (const l of listeners) l('test');
  };
  const status = await startSearch(testConfig({ ...config, storage: db, budget: { trials: BUDGET } }), {
    emit,
    stop: { onStop: (l) => listeners.push(l) },
    evaluator: byKey(5),
  });
  if (status !== 'stopped') throw new Error(`the experiment was to stop, it ${status}`);
}

/** A driver process (test/run/fixtures/lease-child.ts): its exit code and stdout (the run's result as JSON). */
export interface Child {
  readonly process: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** Spawns a driver: `start` a new experiment "exp" or `resume` it, on the gated evaluator, with an optional lease timing. */
export function driverProcess(mode: 'start' | 'resume', db: string, gate: string, lease?: object): Child {
  const fixture = new URL('./fixtures/lease-child.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, mode, db, gate, JSON.stringify(lease ?? null)]);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    process: child,
    exited: new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))),
  };
}

/** Waits until a process holds the lease of "exp" with two RUNNING trials; returns the holder's pid. */
export async function untilDriving(db: string, child?: Child): Promise<number> {
  for (let i = 0; i < 1500; i++) {
    const storage = await openSqliteStorage(db);
    try {
      const experiment = await storage.getExperiment('exp');
      const lease = experiment === undefined ? undefined : await storage.readLease(experiment.id);
      const running = experiment === undefined ? [] : await storage.listTrials(experiment.id, { state: 'RUNNING' });
      if (lease !== undefined && running.length === 2) return lease.pid;
    } finally {
      await storage.close();
    }
    if (child?.process.exitCode != null) throw new Error(`the driver ended first: ${(await child.exited).stderr}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('no process came to drive the experiment');
}

/** Everything the file holds, but the heartbeat (which a live owner keeps stamping) and, with `leases: false`, the lease. */
export async function contents(db: string, options: { leases?: boolean } = {}): Promise<Record<string, unknown[]>> {
  const raw = await Db.open(db, true);
  try {
    const tables: Record<string, unknown[]> = {};
    for (const table of ['experiments', 'trials', 'epochs', 'strategy_states', 'events'])
      tables[table] = await raw.all(`SELECT * FROM ${table} ORDER BY 1, 2`);
    if (options.leases !== false)
      tables['leases'] = await raw.all('SELECT experiment_id, host, pid, token, started_at FROM leases');
    return tables;
  } finally {
    await raw.close();
  }
}
