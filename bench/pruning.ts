// Pruning on a real search (issue 16's end-to-end check): the same regularized-evolution search on
// MNIST (macro space, a small subset), run twice per seed, without a pruner (the baseline) and with
// the median pruner; prints per seed and over all seeds each search's best validation accuracy and
// the difference in points, the epochs it trained (the epochs recorded: a pruned trial's stop at its
// decision) and the ratio, its wall time and the ratio. The target: at most 0.60× the epochs
// and a best at most 0.5 points below the baseline's.
//
//   npx tsx bench/pruning.ts [--seeds 12,13,14 | --seed N] [--quick] [--trials 30] [--subset 2000]
//                            [--epochs 10] [--warmup 2] [--startup 5] [--workers 1]
//
// The setting, the same for every seed (chosen on seed 11, so the default seeds are others):
// 10 epochs per trial, so a trial pruned early saves most of its epochs; `nWarmupSteps` 2, so no
// trial is judged on its first epoch alone, whose accuracy (at the cosine schedule's highest rate)
// says little about its last (epochs count from 1: a warm-up of 1 judges epoch 1); `nStartupTrials` 5.
// --quick: 12 trials on 1000 images, for a busy machine (the target is for 30 trials: with 5 of 12
// trained in full before any pruning, --quick seldom meets its epochs part). With one worker both
// searches are reproducible; with more, which trials are COMPLETE when a trial is judged depends on
// timing, so the pruned search's decisions (and so its proposals) can differ between runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStorage } from '../src/backend/storage/index.js';
import type { ExperimentConfig } from '../src/run/config.js';
import { startSearch } from '../src/run/search.js';
import { SMALL_MACRO_SPACE } from './fixtures/small-macro.js';

const quick = process.argv.includes('--quick');
const value = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const arg = (name: string, fallback: number): number => Number(value(name) ?? fallback);
const trials = arg('--trials', quick ? 12 : 30);
const subset = arg('--subset', quick ? 1000 : 2000);
const epochs = arg('--epochs', 10);
const workers = arg('--workers', 1);
const seeds = (value('--seeds') ?? value('--seed') ?? '12,13,14').split(',').map(Number);
const median = {
  name: 'median',
  options: { nStartupTrials: arg('--startup', 5), nWarmupSteps: arg('--warmup', 2), intervalSteps: 1 },
};
const EPOCHS_TARGET = 0.6;
const POINTS_TARGET = 0.5;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nas-bench-pruning-'));

function config(name: string, seed: number, pruner: ExperimentConfig['pruner']): ExperimentConfig {
  return {
    name,
    seed,
    dataset: { name: 'mnist', options: {}, validationFraction: 0.2, subset },
    space: SMALL_MACRO_SPACE,
    strategy: { name: 'regularized-evolution', options: { populationSize: 8, sampleSize: 3 } },
    train: { epochs, batchSize: 64 },
    objectives: [{ metric: 'validationAccuracy', direction: 'max' }],
    budget: { trials },
    workers,
    measureLatency: false,
    storage: path.join(dir, `${name}.db`),
    ...(pruner === undefined ? {} : { pruner }),
  };
}

type Figures = { best: number; epochs: number; complete: number; pruned: number; seconds: number };

async function run(c: ExperimentConfig): Promise<Figures> {
  const start = performance.now();
  const status = await startSearch(c, { emit: () => undefined });
  if (status !== 'finished') throw new Error(`search ${c.name} ended ${status}`);
  const seconds = (performance.now() - start) / 1000;
  const storage = await openSqliteStorage(c.storage, { readonly: true });
  try {
    const recorded = await storage.listTrials((await storage.getExperiment(c.name))?.id ?? -1);
    let trained = 0;
    for (const t of recorded) trained += (await storage.listEpochs(t.id)).length;
    const accuracies = recorded.flatMap((t) => t.outcome?.metrics.validationAccuracy ?? []);
    return {
      best: Math.max(...accuracies),
      epochs: trained,
      complete: recorded.filter((t) => t.state === 'COMPLETE').length,
      pruned: recorded.filter((t) => t.state === 'PRUNED').length,
      seconds,
    };
  } finally {
    await storage.close();
  }
}

const percent = (x: number): string => `${(100 * x).toFixed(2).padStart(6)}%`;
const row = (label: string, f: Figures): string =>
  `  ${label.padEnd(12)} best ${percent(f.best)}  epochs ${String(f.epochs).padStart(4)}  complete ${String(f.complete).padStart(3)}  pruned ${String(f.pruned).padStart(3)}  ${f.seconds.toFixed(0).padStart(5)} s`;
const points = (baseline: Figures, pruned: Figures): number => 100 * (pruned.best - baseline.best);
const met = (baseline: Figures, pruned: Figures): boolean =>
  pruned.epochs <= EPOCHS_TARGET * baseline.epochs && points(baseline, pruned) >= -POINTS_TARGET;
const comparison = (baseline: Figures, pruned: Figures): string =>
  `  best difference ${points(baseline, pruned).toFixed(2)} points  epochs ratio ${(pruned.epochs / baseline.epochs).toFixed(3)}  wall ratio ${(pruned.seconds / baseline.seconds).toFixed(3)}  target ${met(baseline, pruned) ? 'met' : 'not met'}`;

console.log(
  `regularized evolution (population 8, sample 3), ${trials} trials, MNIST subset ${subset}, ${epochs} epochs, ${workers} worker(s)${quick ? ' (--quick)' : ''}; median ${JSON.stringify(median.options)}; seeds ${seeds.join(', ')}`,
);
const results: { seed: number; baseline: Figures; pruned: Figures }[] = [];
for (const seed of seeds) {
  const baseline = await run(config(`baseline-${seed}`, seed, undefined));
  const pruned = await run(config(`median-${seed}`, seed, median));
  results.push({ seed, baseline, pruned });
  console.log(`seed ${seed}`);
  console.log(row('no pruner', baseline));
  console.log(row('median', pruned));
  console.log(comparison(baseline, pruned));
}
const sum = (pick: (f: Figures) => number, of: 'baseline' | 'pruned'): number =>
  results.reduce((total, r) => total + pick(r[of]), 0);
const total = (of: 'baseline' | 'pruned'): Figures => ({
  best: sum((f) => f.best, of) / results.length,
  epochs: sum((f) => f.epochs, of),
  complete: sum((f) => f.complete, of),
  pruned: sum((f) => f.pruned, of),
  seconds: sum((f) => f.seconds, of),
});
console.log(`all ${results.length} seeds (best: the mean of the seeds' bests; epochs, trials and seconds: sums)`);
console.log(row('no pruner', total('baseline')));
console.log(row('median', total('pruned')));
console.log(comparison(total('baseline'), total('pruned')));
console.log(
  `  best differences ${results.map((r) => points(r.baseline, r.pruned).toFixed(2)).join(', ')} points; target met for ${results.filter((r) => met(r.baseline, r.pruned)).length} of ${results.length} seeds`,
);
fs.rmSync(dir, { recursive: true, force: true });
