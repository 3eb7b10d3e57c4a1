// ASHA with continuation against ASHA from scratch on a real search: the same random search over a
// small macro space on MNIST, wrapped in successive halving (rungs 1, 3, 9 epochs, η = 3), run twice
// with one seed: promotions retrained from scratch (`continuation: false`), then promotions trained on
// from the promoted trial's saved state. Prints, for each, the best validation accuracy at the top
// rung and over all trials, the trials per rung, the epochs trained (a continued promotion trains only
// the epochs after its parent's) and the wall time, and the ratios continuation / scratch.
//
//   npx tsx bench/asha.ts [--quick] [--trials 40] [--subset 4000] [--workers 1] [--seed 5]
//
// --quick: 14 trials on 1,500 images, rungs 1 and 3. With 1 worker both searches are reproducible;
// with more, which trials are COMPLETE when a promotion is chosen depends on timing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStorage } from '../src/backend/storage/index.js';
import type { Trial } from '../src/core/trial.js';
import type { ExperimentConfig } from '../src/run/config.js';
import { startSearch } from '../src/run/search.js';
import { SMALL_MACRO_SPACE } from './fixtures/small-macro.js';

const quick = process.argv.includes('--quick');
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const trials = arg('--trials', quick ? 14 : 40);
const subset = arg('--subset', quick ? 1500 : 4000);
const workers = arg('--workers', 1);
const seed = arg('--seed', 5);
const max = quick ? 3 : 9;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nas-bench-asha-'));

function config(name: string, continuation: boolean): ExperimentConfig {
  return {
    name,
    seed,
    dataset: { name: 'mnist', options: {}, validationFraction: 0.2, subset },
    space: SMALL_MACRO_SPACE,
    strategy: { name: 'random', options: {}, halving: { min: 1, max, eta: 3, continuation } },
    train: { epochs: max, batchSize: 64 },
    objectives: [{ metric: 'validationAccuracy', direction: 'max' }],
    budget: { trials },
    workers,
    measureLatency: false,
    keepModels: 'none',
    storage: path.join(dir, `${name}.db`),
  };
}

type Figures = { top: number; best: number; perRung: number[]; epochs: number; seconds: number };

/** Epochs a trial trained itself: a continued promotion only those after its parent's. */
function trainedEpochs(t: Trial, byNumber: ReadonlyMap<number, Trial>): number {
  const own = t.outcome?.epochs.length ?? 0;
  const parent = t.continues === undefined ? undefined : byNumber.get(t.continues);
  return own - (parent?.outcome?.epochs.length ?? 0);
}

async function run(c: ExperimentConfig): Promise<Figures> {
  const start = performance.now();
  const status = await startSearch(c, { emit: () => undefined });
  if (status !== 'finished') throw new Error(`search ${c.name} ended ${status}`);
  const seconds = (performance.now() - start) / 1000;
  const storage = await openSqliteStorage(c.storage, { readonly: true });
  try {
    const recorded = await storage.listTrials((await storage.getExperiment(c.name))?.id ?? -1);
    const complete = recorded.filter((t) => t.state === 'COMPLETE');
    const byNumber = new Map(recorded.map((t) => [t.number, t]));
    const accuracy = (t: Trial) => t.outcome?.metrics.validationAccuracy ?? Number.NaN;
    const rungs = [...new Set(complete.map((t) => t.fidelity?.epochs ?? 0))].sort((a, b) => a - b);
    return {
      top: Math.max(...complete.filter((t) => t.fidelity?.epochs === max).map(accuracy)),
      best: Math.max(...complete.map(accuracy)),
      perRung: rungs.map((r) => complete.filter((t) => t.fidelity?.epochs === r).length),
      epochs: complete.reduce((sum, t) => sum + trainedEpochs(t, byNumber), 0),
      seconds,
    };
  } finally {
    await storage.close();
  }
}

const percent = (x: number): string => `${(100 * x).toFixed(2).padStart(6)}%`;
const row = (label: string, f: Figures): string =>
  `  ${label.padEnd(13)} best at ${max} epochs ${percent(f.top)}  best overall ${percent(f.best)}  trials per rung ${f.perRung.join('/')}  epochs trained ${String(f.epochs).padStart(4)}  ${f.seconds.toFixed(0).padStart(5)} s`;

console.log(
  `random search in ASHA (rungs to ${max} epochs, η 3), ${trials} trials, MNIST subset ${subset}, ${workers} worker(s), seed ${seed}${quick ? ' (--quick)' : ''}`,
);
const scratch = await run(config('scratch', false));
console.log(row('from scratch', scratch));
const continued = await run(config('continued', true));
console.log(row('continuation', continued));
console.log(
  `  continuation / scratch: wall ${(continued.seconds / scratch.seconds).toFixed(3)}, epochs ${(continued.epochs / scratch.epochs).toFixed(3)}; best at the top rung ${(100 * (continued.top - scratch.top)).toFixed(2)} points`,
);
fs.rmSync(dir, { recursive: true, force: true });
