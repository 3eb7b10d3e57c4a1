// How long a cancelled trial holds up the next one: the time from a trial's cancel (mid-epoch, as the
// pruner cancels) to the first training batch of the next trial on the same single worker, against
// the time from a trial's normal end to the next one's first batch (the baseline, same run). Also the
// time from the cancel to the cancelled trial's outcome. NB201 (1 cell, 8 channels) on 1000 MNIST images.
//
//   npx tsx bench/cancel-latency.ts [--repeats 3]
import type { Json } from '../src/core/arch.js';
import type { TrialProgress } from '../src/core/events.js';
import type { ExperimentConfig } from '../src/run/config.js';
import { trialPoolOf } from '../src/run/trial-pool.js';
import type { TrialTask } from '../src/run/worker/trial-task.js';
import { createSpace } from '../src/space/spaces/index.js';

const i = process.argv.indexOf('--repeats');
const repeats = i >= 0 ? Number(process.argv[i + 1]) : 3;
const space = createSpace('nb201', { cells: 1, channels: 8 });
const sample: Json = space.parse(
  '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|',
);
const config: ExperimentConfig = {
  name: 'cancel-latency',
  seed: 3,
  dataset: { name: 'mnist', options: {}, validationFraction: 0.1, subset: 1000 },
  space: { name: 'nb201', options: { cells: 1, channels: 8 } },
  strategy: { name: 'random', options: {} },
  train: { epochs: 1, batchSize: 16 },
  objectives: [{ metric: 'validationAccuracy', direction: 'max' }],
  budget: { trials: 1 },
  workers: 1,
  measureLatency: false,
  saveModels: false,
  storage: ':memory:', // no storage is opened: the bench runs tasks on the pool directly
};
let number = 0;
const task = (epochs: number): TrialTask => ({
  version: 1,
  trialId: ++number,
  number,
  sample,
  config: { ...config, train: { ...config.train, epochs } },
  seed: number,
});
const pool = trialPoolOf(1);

/** Runs a trial and the next one; returns ms from the first's end (or its cancel) to the next one's first batch. */
async function pair(cancel: boolean): Promise<{ toNext: number; toOutcome: number }> {
  const controller = new AbortController();
  let cut = 0;
  const first = pool.run(task(cancel ? 30 : 1), {
    signal: controller.signal,
    onProgress: (p: TrialProgress) => {
      if (cancel && p.kind === 'batch' && cut === 0) {
        cut = performance.now();
        controller.abort();
      }
    },
  });
  let nextBatch = 0;
  const next = pool.run(task(1), {
    onProgress: (p: TrialProgress) => {
      if (p.kind === 'batch' && nextBatch === 0) nextBatch = performance.now();
    },
  });
  const outcome = await first;
  const ended = performance.now();
  if (cancel !== (!outcome.ok && outcome.kind === 'cancelled'))
    throw new Error(`unexpected outcome ${JSON.stringify(outcome)}`);
  await next;
  const from = cancel ? cut : ended;
  return { toNext: nextBatch - from, toOutcome: ended - from };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
await pair(false); // warm-up: the thread loads TensorFlow and the data set
const done: number[] = [];
const cancelled: number[] = [];
const outcomes: number[] = [];
for (let r = 0; r < repeats; r++) {
  done.push((await pair(false)).toNext);
  const c = await pair(true);
  cancelled.push(c.toNext);
  outcomes.push(c.toOutcome);
}
await pool.close();
console.log(`single worker, NB201 1 cell × 8 channels, MNIST 1000, median of ${repeats}`);
console.log(`trial ends → next trial's first batch      ${median(done).toFixed(0)} ms (baseline)`);
console.log(`trial cancelled → next trial's first batch ${median(cancelled).toFixed(0)} ms`);
console.log(`trial cancelled → its outcome              ${median(outcomes).toFixed(0)} ms`);
console.log(`cancel ratio ${(median(cancelled) / median(done)).toFixed(2)}`);
