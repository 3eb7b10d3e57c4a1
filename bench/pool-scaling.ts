// Pool scaling on this machine: 1 worker with all cores for TensorFlow's intra-op pool vs one worker
// per core with 1 thread each, on the same real trials (small macro networks, MNIST subset, 1 epoch).
//
//   npx tsx bench/pool-scaling.ts [--trials 8]
//
// Figures: trials per minute of each layout, measured in the same run (pool start excluded: each
// pool is warmed up on one trial first), and the ratio against 1 worker.
import { availableParallelism } from 'node:os';
import type { Json } from '../src/core/arch.js';
import { Rng } from '../src/core/rng.js';
import type { ExperimentConfig } from '../src/run/config.js';
import { trialPool } from '../src/run/trial-pool.js';
import type { TrialTask } from '../src/run/worker/trial-task.js';
import { createSpace } from '../src/space/spaces/index.js';
import { planThreads } from '../src/backend/tf.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const count = arg('--trials', 8);
const spaceOptions = {
  stem: 'conv3x3',
  stemChannels: 16,
  stageWidths: [16, 32],
  widthMultipliers: ['1'],
  depths: [1, 2],
  expansions: [1, 4],
  kernels: [3, 5],
  strides: [2],
  attention: ['none'],
};
const base: ExperimentConfig = {
  name: 'scaling',
  seed: 1,
  workers: 1,
  measureLatency: false,
  storage: '/dev/null',
  dataset: { name: 'mnist', options: {}, validationFraction: 0.1, subset: 2000 },
  space: { name: 'macro', options: spaceOptions },
  strategy: { name: 'random', options: {} },
  train: { epochs: 1, batchSize: 64 },
  objectives: [{ metric: 'validationAccuracy', direction: 'max' }],
  budget: { trials: count },
};
const space = createSpace('macro', spaceOptions);
const rng = new Rng('scaling');
const samples = Array.from({ length: count }, () => space.sample(rng));

async function perMinute(workers: number): Promise<number> {
  const config = { ...base, workers };
  const pool = trialPool(config);
  const task = (i: number): TrialTask => ({
    version: 1,
    trialId: i,
    number: i,
    sample: samples[i % count] as Json,
    config,
    seed: i,
  });
  await Promise.all(Array.from({ length: workers }, (_, i) => pool.run(task(i))));
  const started = performance.now();
  const outcomes = await Promise.all(samples.map((_, i) => pool.run(task(i))));
  const minutes = (performance.now() - started) / 60_000;
  await pool.close();
  const failed = outcomes.filter((o) => !o.ok).length;
  if (failed > 0) throw new Error(`${failed} trials failed`);
  return count / minutes;
}

const cores = availableParallelism();
const layouts = [1, cores];
const rates: number[] = [];
for (const workers of layouts) rates.push(await perMinute(workers));
process.stdout.write(`${count} trials (macro space, MNIST 1,800 images, 1 epoch), ${cores} cores\n`);
layouts.forEach((workers, i) => {
  const plan = planThreads(workers, cores);
  const rate = rates[i] as number;
  process.stdout.write(
    `${workers} worker(s) × ${plan.intraOp} intra-op thread(s): ${rate.toFixed(1).padStart(6)} trials/min  ratio ${(rate / (rates[0] as number)).toFixed(2)}\n`,
  );
});
