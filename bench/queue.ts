// Distributed trials (docs/distributed.md): the queue's cost per trial, and trials per minute over
// 1, 2 and 4 worker processes, each against the local pool measured in the same run.
//
//   npx tsx bench/queue.ts [--trials 300] [--real 24] [--workers 1,2,4] [--quick]   (--trials 0 or --real 0 skips a part)
//
// Redis is a throwaway redis-server on loopback (test/run/queue/redis-server.ts). A worker process
// is the real queue worker (src/run/queue/queue-worker.ts, what `nas worker --concurrency 1` runs)
// on one thread (bench/fixtures/queue-worker.ts).
// (a) Trivial trials (answered at once): the driver (random search, SQLite file) with the queue
//     dispatcher, against the isolated pool with as many threads. Per trial: the round trip from the
//     RUNNING record to the recorded result (the driver's trial-started and trial-finished events;
//     the trial's own compute is nil), and trials per second. Each layout is warmed up first.
// (b) Real short trials (NB201, one cell, synthetic 16×16 images, 2 epochs): trials per minute of
//     N worker processes against the local pool with 1 and 2 one-thread workers.
// Then a model of N machines fed by (a)'s figures (docs/distributed.md, "How far it scales").
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { IsolatedPool } from '../src/backend/pool/isolated-pool.js';
import type { EntryOf } from '../src/backend/pool/protocol.js';
import { openSqliteStorage } from '../src/backend/storage/index.js';
import type { Json } from '../src/core/arch.js';
import { Rng } from '../src/core/rng.js';
import type { Trial } from '../src/core/trial.js';
import type { ExperimentConfig } from '../src/run/config.js';
import { Driver } from '../src/run/driver.js';
import type { Evaluator } from '../src/run/evaluator.js';
import { QueueDispatcher } from '../src/run/queue/dispatcher.js';
import { datasetFingerprint } from '../src/run/worker/data-fingerprint.js';
import type { TrialTask } from '../src/run/worker/trial-task.js';
import { createStrategy } from '../src/search/index.js';
import { createSpace } from '../src/space/spaces/index.js';
import { RedisServer, redisMissing } from '../test/run/queue/redis-server.js';
import { oneThreadPool } from './fixtures/one-thread-pool.js';
import type trivial from './fixtures/trivial-worker.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const quick = process.argv.includes('--quick');
const trials = arg('--trials', quick ? 100 : 300);
const realTrials = arg('--real', quick ? 12 : 24);
const listArg = (name: string, fallback: readonly number[]): readonly number[] => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? '').split(',').map(Number) : fallback;
};
const WORKERS = listArg('--workers', [1, 2, 4]);

const missing = redisMissing();
if (missing !== undefined) {
  process.stdout.write(`skipped: ${missing}\n`);
  process.exit(0);
}

const TRIVIAL_WORKER: EntryOf<typeof trivial> = { url: new URL('./fixtures/trivial-worker.ts', import.meta.url).href };
const space = createSpace('nb201', { cells: 1, channels: 4 });
const config = (trivialTrials: boolean): ExperimentConfig => ({
  name: 'queue-bench',
  seed: 1,
  workers: 1,
  measureLatency: false,
  storage: '/dev/null',
  dataset: {
    name: 'synthetic',
    options: trivialTrials
      ? { trainCount: 8, testCount: 8, height: 4, width: 4, channels: 1, classes: 2 }
      : { trainCount: 1024, testCount: 256, height: 16, width: 16, channels: 1, classes: 10 },
    validationFraction: 0.25,
  },
  space: { name: 'nb201', options: { cells: 1, channels: 4 } },
  strategy: { name: 'random', options: {} },
  train: { epochs: 2, batchSize: 64, engine: 'eager' },
  objectives: [{ metric: 'validationAccuracy', direction: 'max' }],
  keepModels: 'none',
  budget: { trials },
});
const task = (cfg: ExperimentConfig, trial: Pick<Trial, 'id' | 'number' | 'sample'>): TrialTask => ({
  version: 1,
  trialId: trial.id,
  number: trial.number,
  sample: trial.sample,
  config: cfg,
  seed: trial.number,
});

/** Worker processes on the queue at `url`, once each listens. */
async function startWorkers(url: string, count: number, mode: 'trivial' | 'train'): Promise<ChildProcess[]> {
  const script = path.join(import.meta.dirname, 'fixtures/queue-worker.ts');
  const children = Array.from({ length: count }, () =>
    spawn(process.execPath, ['--import', 'tsx', script, url, mode], { stdio: ['ignore', 'ignore', 'pipe'] }),
  );
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve, reject) => {
          let said = '';
          child.stderr?.on('data', (chunk: Buffer) => {
            said += chunk.toString();
            if (said.includes('takes trials from')) resolve();
          });
          child.once('exit', (code) => reject(new Error(`a bench worker exited (${code}):\n${said}`)));
        }),
    ),
  );
  return children;
}

async function stopWorkers(children: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map((child) => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      return exited;
    }),
  );
}

type Figures = { readonly roundTripMs: number; readonly perSecond: number };

/** Runs `count` trials through the driver on a SQLite file: mean round trip per trial and trials/s. */
async function driverRun<T>(
  count: number,
  evaluator: (experiment: { id: number; createdAt: number }) => Promise<Evaluator<T>>,
  taskFor: (trial: Trial) => T,
): Promise<Figures> {
  const storage = await openSqliteStorage(path.join(mkdtempSync(path.join(tmpdir(), 'nas-bench-')), 'queue.sqlite'));
  const experiment = await storage.createExperiment({ name: 'bench', config: {}, seed: 0 });
  const started = new Map<number, number>();
  let roundTrips = 0;
  const strategy = createStrategy('random', {
    space,
    rng: new Rng(0),
    objectives: [{ metric: 'validationAccuracy', direction: 'max' }],
  });
  const ev = await evaluator(experiment);
  const driver = new Driver(
    {
      experimentId: experiment.id,
      storage,
      evaluator: ev,
      space,
      strategy,
      budget: { trials: count },
      taskFor,
      emit: (e) => {
        if (e.type === 'trial-started') started.set(e.trial.id, performance.now());
        if (e.type === 'trial-finished') roundTrips += performance.now() - (started.get(e.trial.id) as number);
      },
    },
    [],
  );
  const begun = performance.now();
  await driver.run();
  const seconds = (performance.now() - begun) / 1000;
  await ev.close();
  const failed = (await storage.listTrials(experiment.id)).filter((t) => t.state !== 'COMPLETE').length;
  await storage.close();
  if (failed > 0) throw new Error(`${failed} trials failed`);
  return { roundTripMs: roundTrips / count, perSecond: count / seconds };
}

/** (a) through the queue with `workers` trivial worker processes; a warm-up run first. */
async function queueTrivial(url: string, workers: number): Promise<Figures> {
  const cfg = config(true);
  const fingerprint = await datasetFingerprint(cfg.dataset);
  const children = await startWorkers(url, workers, 'trivial');
  try {
    const open = (experiment: { id: number; createdAt: number }) =>
      QueueDispatcher.open({ url, inflight: workers, experiment, fingerprint });
    await driverRun(Math.min(20, trials), open, (t) => task(cfg, t));
    return await driverRun(trials, open, (t) => task(cfg, t));
  } finally {
    await stopWorkers(children);
  }
}

/** (a)'s baseline: the isolated pool with `workers` threads (a warm-up run first). */
async function poolTrivial(workers: number): Promise<Figures> {
  const pool = new IsolatedPool({ workerEntry: TRIVIAL_WORKER, workers, threads: { intraOp: 1, interOp: 1 } });
  const evaluator = async () => ({
    concurrency: workers,
    run: (t: { number: number }, o?: Parameters<typeof pool.run>[1]) => pool.run(t, o),
    close: async () => undefined,
  });
  try {
    await driverRun(Math.min(20, trials), evaluator, (t) => ({ number: t.number }));
    return await driverRun(trials, evaluator, (t) => ({ number: t.number }));
  } finally {
    await pool.close();
  }
}

/** (b): trials per minute of `evaluator` on the same real tasks, after one warm-up trial per worker. */
async function perMinute(evaluator: Evaluator, workers: number, recorded = false): Promise<number> {
  const cfg = config(false);
  const rng = new Rng('queue-bench');
  const tasks = Array.from({ length: realTrials + workers }, (_, i) =>
    task(cfg, { id: 1000 + i, number: i, sample: space.sample(rng) as Json }),
  );
  const run = async (t: TrialTask) => {
    const outcome = await evaluator.run(t);
    if (!outcome.ok) throw new Error(`trial ${t.number} failed: ${outcome.error.message}`);
    if (recorded) await evaluator.recorded?.(t.trialId);
  };
  await Promise.all(tasks.slice(0, workers).map(run));
  const begun = performance.now();
  await Promise.all(tasks.slice(workers).map(run));
  return realTrials / ((performance.now() - begun) / 60_000);
}

async function queueReal(url: string, workers: number): Promise<number> {
  const cfg = config(false);
  const children = await startWorkers(url, workers, 'train');
  const dispatcher = await QueueDispatcher.open({
    url,
    inflight: workers,
    experiment: { id: workers, createdAt: Date.now() },
    fingerprint: await datasetFingerprint(cfg.dataset),
  });
  try {
    return await perMinute(dispatcher, workers, true);
  } finally {
    await dispatcher.close();
    await stopWorkers(children);
  }
}

async function poolReal(workers: number): Promise<number> {
  const pool = oneThreadPool(workers);
  try {
    return await perMinute(pool, workers);
  } finally {
    await pool.close();
  }
}

const out = (line: string) => process.stdout.write(`${line}\n`);
const rows: { workers: number; pool: Figures; queue: Figures }[] = [];
const redis = await RedisServer.start();
try {
  out(`${availableParallelism()} cores; redis-server on loopback (append-only file); one thread per worker`);
  if (trials > 0) await trivialRows();
  if (realTrials > 0) await realRows();
  if (rows.length > 0) model();
} finally {
  await redis.stop();
}

async function trivialRows(): Promise<void> {
  out(`\n(a) ${trials} trivial trials through the driver (random search, SQLite file), after a warm-up run`);
  out(`${'layout'.padEnd(38)} ${'round trip'.padStart(12)} ${'trials/s'.padStart(9)}  ratio (round trip / pool's)`);
  for (const workers of WORKERS) {
    const pool = await poolTrivial(workers);
    const queue = await queueTrivial(redis.url, workers);
    rows.push({ workers, pool, queue });
    const line = (name: string, f: Figures, ratio: string) =>
      out(
        `${name.padEnd(38)} ${`${f.roundTripMs.toFixed(2)} ms`.padStart(12)} ${f.perSecond.toFixed(0).padStart(9)}  ${ratio}`,
      );
    line(`local pool, ${workers} thread(s)`, pool, '1.00 (baseline)');
    line(`queue, ${workers} worker process(es)`, queue, (queue.roundTripMs / pool.roundTripMs).toFixed(2));
    out(
      `${''.padEnd(38)} queue overhead per trial: ${(queue.roundTripMs - pool.roundTripMs).toFixed(2)} ms over the pool's, ${queue.roundTripMs.toFixed(2)} ms in all (target ≤ 5 ms)`,
    );
  }
}

async function realRows(): Promise<void> {
  out(
    `\n(b) ${realTrials} real trials (NB201 one cell, synthetic 16×16, 1,024 images, 2 epochs), after a warm-up trial per worker`,
  );
  const base1 = await poolReal(1);
  const base2 = await poolReal(2);
  out(`${'local pool, 1 worker'.padEnd(38)} ${base1.toFixed(1).padStart(7)} trials/min  ratio 1.00 (baseline)`);
  out(
    `${'local pool, 2 workers'.padEnd(38)} ${base2.toFixed(1).padStart(7)} trials/min  ratio ${(base2 / base1).toFixed(2)}`,
  );
  for (const workers of WORKERS) {
    const rate = await queueReal(redis.url, workers);
    out(
      `${`queue, ${workers} worker process(es)`.padEnd(38)} ${rate.toFixed(1).padStart(7)} trials/min  ratio ${(rate / base1).toFixed(2)}`,
    );
  }
}

/**
 * One driver records trials one after another, so its ceiling is at least the most trials/s it
 * reached in (a); N machines each finishing a trial every T seconds ask N / T trials/s of it, and
 * each loses the queue's round trip per trial.
 */
function model(): void {
  const ceiling = Math.max(...rows.map((r) => r.queue.perSecond));
  // Storage write rates of 5-epoch trials, 8 in flight (bench/storage.ts, docs/storage.md "Speed"): the low ends.
  const sqlite = 790;
  const postgres = 540;
  const worst = Math.max(...rows.map((r) => r.queue.roundTripMs));
  out(`\nModel of N machines (one trial at a time each): the driver saturates at N = ceiling × T`);
  out(`queue ceiling through one driver: ${ceiling.toFixed(0)} trials/s (best of (a))`);
  for (const [label, seconds] of [
    ['10 s', 10],
    ['1 min', 60],
    ['10 min', 600],
  ] as const)
    out(
      `trials of ${label.padEnd(6)}: driver saturates at ${Math.round(ceiling * seconds).toLocaleString('en')} workers; SQLite's writes at ${Math.round(sqlite * seconds).toLocaleString('en')}, PostgreSQL's at ${Math.round(postgres * seconds).toLocaleString('en')}; a worker loses ${((100 * worst) / (seconds * 1000)).toFixed(2)}% of its time to the queue`,
    );
}
