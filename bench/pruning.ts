// Pruning on a real search: the same regularized-evolution search on MNIST (macro space, a small
// subset, 3 epochs per trial), run twice with one seed, without a pruner (the baseline) and with
// the median pruner; prints each search's best validation accuracy, the epochs it trained (the
// epochs recorded: a pruned trial's stop at its decision) and its wall time, and the ratios.
//
//   npx tsx bench/pruning.ts [--quick] [--trials 30] [--subset 2000] [--workers 2]
//
// --quick: 12 trials on 1000 images (a few minutes), for a busy machine. With 2 workers, which
// trials are COMPLETE when a trial is judged depends on timing, so the pruned search's decisions
// (and so its proposals) can differ between runs; `--workers 1` makes both searches reproducible.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStorage } from '../src/backend/storage/index.js';
import type { ExperimentConfig } from '../src/run/config.js';
import { startSearch } from '../src/run/search.js';

const quick = process.argv.includes('--quick');
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const trials = arg('--trials', quick ? 12 : 30);
const subset = arg('--subset', quick ? 1000 : 2000);
const workers = arg('--workers', 2);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nas-bench-pruning-'));

function config(name: string, pruner: ExperimentConfig['pruner']): ExperimentConfig {
  return {
    name,
    seed: 11,
    dataset: { name: 'mnist', options: {}, validationFraction: 0.2, subset },
    space: {
      name: 'macro',
      options: {
        stem: 'conv3x3',
        stemChannels: 8,
        stageWidths: [8, 16],
        widthMultipliers: ['0.5', '1'],
        depths: [1, 2],
        expansions: [1, 2],
        kernels: [3],
        strides: [2],
        blocks: ['basic', 'inverted_residual', 'separable'],
        attention: ['none', 'se'],
      },
    },
    strategy: { name: 'regularized-evolution', options: { populationSize: 8, sampleSize: 3 } },
    train: { epochs: 3, batchSize: 64 },
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
    let epochs = 0;
    for (const t of recorded) epochs += (await storage.listEpochs(t.id)).length;
    const accuracies = recorded.flatMap((t) => t.outcome?.metrics.validationAccuracy ?? []);
    return {
      best: Math.max(...accuracies),
      epochs,
      complete: recorded.filter((t) => t.state === 'COMPLETE').length,
      pruned: recorded.filter((t) => t.state === 'PRUNED').length,
      seconds,
    };
  } finally {
    await storage.close();
  }
}

const median = { name: 'median', options: { nStartupTrials: 5, nWarmupSteps: 1, intervalSteps: 1 } };
console.log(
  `regularized evolution, ${trials} trials, MNIST subset ${subset}, 3 epochs, ${workers} workers${quick ? ' (--quick)' : ''}; median ${JSON.stringify(median.options)}`,
);
const baseline = await run(config('baseline', undefined));
const pruned = await run(config('median', median));
const row = (label: string, f: Figures) =>
  `${label.padEnd(24)} best ${(100 * f.best).toFixed(2).padStart(6)}%  epochs ${String(f.epochs).padStart(4)}  complete ${String(f.complete).padStart(3)}  pruned ${String(f.pruned).padStart(3)}  ${f.seconds.toFixed(0).padStart(5)} s`;
console.log(row('no pruner (baseline)', baseline));
console.log(row('median pruner', pruned));
console.log(
  `epochs ratio ${(pruned.epochs / baseline.epochs).toFixed(3)}  wall ratio ${(pruned.seconds / baseline.seconds).toFixed(3)}  best difference ${(100 * (pruned.best - baseline.best)).toFixed(2)} points`,
);
fs.rmSync(dir, { recursive: true, force: true });
