// Orchestration overhead: trials per second through the driver with a trivial evaluator.
//
//   npx tsx bench/orchestration.ts [--trials 500]
//
// Rows, measured in the same run: (1) in-process evaluator + in-memory storage (the driver and the
// strategy alone: the baseline); (2) in-process evaluator + SQLite file; (3) the isolated Piscina pool
// (child process, 2 worker threads) + SQLite: the whole engine around a trial that does nothing.
// Each evaluator is warmed up first (20 tasks): the pool host's start (a few seconds: a process,
// two worker threads, the TypeScript loader) is paid once per search, not per trial.
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { IsolatedPool } from '../src/backend/pool/isolated-pool.js';
import type { EntryOf } from '../src/backend/pool/protocol.js';
import { MemoryStorage, openSqliteStorage, type Storage } from '../src/backend/storage/index.js';
import { Rng } from '../src/core/rng.js';
import { createStrategy } from '../src/search/index.js';
import { createSpace } from '../src/space/spaces/index.js';
import { Driver } from '../src/run/driver.js';
import type { Evaluator } from '../src/run/evaluator.js';
import type trivial from './fixtures/trivial-worker.js';
import type { TrivialTask } from './fixtures/trivial-worker.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const trials = arg('--trials', 500);
const space = createSpace('nb201');

const TRIVIAL_WORKER: EntryOf<typeof trivial> = { url: new URL('./fixtures/trivial-worker.ts', import.meta.url).href };

const inProcess: Evaluator<TrivialTask> = {
  concurrency: 2,
  run: async (task) => ({
    ok: true,
    value: {
      metrics: { validationAccuracy: (task.number % 97) / 97 },
      cost: { params: 1, paramsTotal: 1, macs: 1, trainMemoryBytes: 1, inferenceMemoryBytes: 1, estimatedLatencyMs: 1 },
      epochs: [],
      seconds: 0,
    },
  }),
  close: async () => undefined,
};

function isolated(): Evaluator<TrivialTask> {
  const pool = new IsolatedPool({ workerEntry: TRIVIAL_WORKER, workers: 2, threads: { intraOp: 1, interOp: 1 } });
  return { concurrency: 2, run: (task, options) => pool.run(task, options), close: () => pool.close() };
}

async function measure(storage: Storage, evaluator: Evaluator<TrivialTask>): Promise<number> {
  await Promise.all(Array.from({ length: 20 }, (_, number) => evaluator.run({ number })));
  const experiment = await storage.createExperiment({ name: 'bench', config: {}, seed: 0 });
  const strategy = createStrategy('random', {
    space,
    rng: new Rng(0),
    objectives: [{ metric: 'validationAccuracy', direction: 'max' }],
  });
  const driver = new Driver(
    {
      experimentId: experiment.id,
      storage,
      evaluator,
      space,
      strategy,
      budget: { trials },
      taskFor: (t) => ({ number: t.number }),
      emit: () => undefined,
    },
    [],
  );
  const started = performance.now();
  await driver.run();
  const seconds = (performance.now() - started) / 1000;
  await evaluator.close();
  await storage.close();
  return trials / seconds;
}

const file = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nas-bench-')), 'bench.sqlite');
const rows: [string, number][] = [
  ['in-process evaluator, in-memory storage (baseline)', await measure(new MemoryStorage(), inProcess)],
  ['in-process evaluator, SQLite file', await measure(await openSqliteStorage(file()), inProcess)],
  ['isolated pool (child process, 2 threads), SQLite file', await measure(await openSqliteStorage(file()), isolated())],
];
const base = rows[0]?.[1] ?? 1;
process.stdout.write(`${trials} trials each, random search on nb201, a trial that does nothing\n`);
for (const [name, rate] of rows)
  process.stdout.write(
    `${name.padEnd(56)} ${rate.toFixed(0).padStart(7)} trials/s  ratio ${(rate / base).toFixed(3)}\n`,
  );
