// Trials per second through the storage: createTrial + addEpoch × E + finishTrial (COMPLETE, with
// an E-epoch outcome), as the driver issues them, into a SQLite file (WAL) vs the in-memory twin
// measured in the same run. Also: the same with W trials in flight at once, and reading them back.
// Where PostgreSQL is installed, a throwaway server on loopback (test/backend/storage/postgres-server.ts)
// gives PostgreSQL rows too, as ratios against SQLite; without it they are skipped with a line saying so.
//
//   npx tsx bench/storage.ts [--trials 2000] [--epochs 5] [--inflight 8]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MemoryStorage, openSqliteStorage, openStorage, type Storage } from '../src/backend/storage/index.js';
import type { EpochMetrics, TrialOutcome } from '../src/core/trial.js';
import { PostgresServer, postgresMissing } from '../test/backend/storage/postgres-server.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1] ?? fallback) : fallback;
};
const trials = arg('--trials', 2000);
const epochs = arg('--epochs', 5);
const inflight = arg('--inflight', 8);

const epoch = (e: number): EpochMetrics => ({
  epoch: e,
  trainLoss: 1 / (e + 1),
  trainAccuracy: 0.9,
  validationLoss: 1.1 / (e + 1),
  validationAccuracy: 0.88,
  learningRate: 0.01,
  seconds: 2.5,
});
const outcome: TrialOutcome = {
  metrics: { validationAccuracy: 0.9, testAccuracy: 0.89, trainLoss: 0.2 },
  cost: {
    params: 120_000,
    paramsTotal: 121_000,
    macs: 45_000_000,
    trainMemoryBytes: 9e6,
    inferenceMemoryBytes: 2e6,
    estimatedLatencyMs: 0.8,
  },
  epochs: Array.from({ length: epochs }, (_, e) => epoch(e)),
  seconds: 12,
};

async function oneTrial(storage: Storage, experimentId: number, n: number): Promise<void> {
  const t = await storage.createTrial(experimentId, {
    number: n,
    sample: { ops: ['conv3x3', 'skip', 'maxpool'], width: n % 64 },
    key: `k${n}`,
  });
  for (let e = 0; e < epochs; e++) await storage.addEpoch(t.id, epoch(e));
  await storage.finishTrial(t.id, { state: 'COMPLETE', outcome });
}

/** Trials per second, one at a time and `inflight` at once, and ms to list them all. */
async function measure(storage: Storage): Promise<[number, number, number]> {
  const serial = await storage.createExperiment({ name: 'serial', config: {}, seed: 0 });
  let start = performance.now();
  for (let n = 0; n < trials; n++) await oneTrial(storage, serial.id, n);
  const serialRate = trials / ((performance.now() - start) / 1000);

  const parallel = await storage.createExperiment({ name: 'parallel', config: {}, seed: 0 });
  start = performance.now();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < trials) await oneTrial(storage, parallel.id, next++);
  };
  await Promise.all(Array.from({ length: inflight }, lane));
  const parallelRate = trials / ((performance.now() - start) / 1000);

  start = performance.now();
  const listed = await storage.listTrials(serial.id);
  const listMs = performance.now() - start;
  if (listed.length !== trials) throw new Error(`listed ${listed.length} trials, wrote ${trials}`);
  return [serialRate, parallelRate, listMs];
}

/** The figures of a PostgreSQL database on a throwaway loopback server, or why there are none. */
async function measurePostgres(): Promise<[number, number, number] | string> {
  const missing = postgresMissing();
  if (missing !== undefined) return missing;
  const server = await PostgresServer.start();
  try {
    const storage = await openStorage(await server.createDatabase('bench'));
    const figures = await measure(storage);
    await storage.close();
    return figures;
  } finally {
    await server.destroy();
  }
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'nas-bench-storage-'));
try {
  const memory = await measure(new MemoryStorage());
  const sqlite = await openSqliteStorage(path.join(dir, 'bench.db'));
  const disk = await measure(sqlite);
  await sqlite.close();
  const postgres = await measurePostgres();
  const line = (cells: string[]) => process.stdout.write(`${cells.join('  ')}\n`);
  line([
    `${trials} trials, each createTrial + ${epochs} × addEpoch + finishTrial; ${inflight} in flight for the second column`,
  ]);
  line([
    'storage   ',
    '  trials/s (1 at a time)',
    `  trials/s (${inflight} in flight)`,
    `  listTrials of ${trials} (ms)`,
  ]);
  line([
    'memory    ',
    memory[0].toFixed(0).padStart(24),
    memory[1].toFixed(0).padStart(20),
    memory[2].toFixed(1).padStart(24),
  ]);
  line([
    'sqlite WAL',
    disk[0].toFixed(0).padStart(24),
    disk[1].toFixed(0).padStart(20),
    disk[2].toFixed(1).padStart(24),
  ]);
  line([
    'ratio     ',
    `${(memory[0] / disk[0]).toFixed(1)}× slower`.padStart(24),
    `${(memory[1] / disk[1]).toFixed(1)}× slower`.padStart(20),
    `${(disk[2] / memory[2]).toFixed(1)}× slower`.padStart(24),
  ]);
  if (typeof postgres === 'string') {
    line([`postgres: skipped (${postgres})`]);
  } else {
    line([
      'postgres  ',
      postgres[0].toFixed(0).padStart(24),
      postgres[1].toFixed(0).padStart(20),
      postgres[2].toFixed(1).padStart(24),
    ]);
    const slower = (a: number, b: number) => `${(a / b).toFixed(1)}× slower`;
    line([
      'vs sqlite ',
      slower(disk[0], postgres[0]).padStart(24),
      slower(disk[1], postgres[1]).padStart(20),
      slower(postgres[2], disk[2]).padStart(24),
    ]);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
