// DARTS's costs on this machine, as ratios against a baseline measured in the same run.
//
//   npx tsx bench/darts.ts            # step times (5 steps each) and memory (3 sizes, one process each)
//   npx tsx bench/darts.ts --quick    # 2 steps each, one memory size
//   npx tsx bench/darts.ts --memory-only
//
// Step time: on a supernet (28×28×1 input, batch 32), the median wall time of a weight step alone
// (the baseline: what training the supernet as an ordinary network would cost), of a first-order
// DARTS step (architecture step, then weight step) and of a second-order one.
// Memory: the peak resident memory of two DARTS steps in a fresh process, minus the process before
// them, divided by the cost model's stored activations of one batch: what TAPE_FACTOR
// (src/search/darts/memory.ts) must cover.
import { spawnSync } from 'node:child_process';
import type { Tensor1D, Tensor4D } from '@tensorflow/tfjs-node';
import { loadTf } from '../src/backend/tf.js';
import { checkOptions } from '../src/core/options.js';
import { dartsOptions, createSupernet, supernetArch, type DartsOptions } from '../src/search/darts/index.js';
import { firstOrderAlphaGrads, secondOrderAlphaGrads } from '../src/search/darts/bilevel.js';
import { TAPE_FACTOR } from '../src/search/darts/memory.js';
import { searchState, type SearchState } from '../src/search/darts/state.js';
import { costOf } from '../src/space/cost/index.js';
import { createSpace } from '../src/space/spaces/index.js';
import { trainStep, type BatchTensors } from '../src/eval/train/index.js';

const tf = loadTf();
const quick = process.argv.includes('--quick');
const SHAPE = [28, 28, 1] as const;
const BATCH = 32;

type Setting = { readonly space: 'darts' | 'nb201'; readonly channels: number; readonly layers: number };

function setup(s: Setting, order: 'first' | 'second'): { state: SearchState; batchSize: number; activations: number } {
  const space = s.space === 'darts' ? createSpace('darts', { nodes: 4, layers: s.layers, channels: s.channels }) : createSpace('nb201', { cells: s.layers, channels: s.channels });
  const arch = supernetArch(space, {}, { inputShape: SHAPE, classes: 10 });
  const options = checkOptions(dartsOptions, { order }).values as DartsOptions;
  const state = searchState(createSupernet(space.relaxation?.() ?? { cells: [] }, arch, 1), options);
  return { state, batchSize: BATCH, activations: costOf(arch, { batch: BATCH }).memory.trainActivations };
}

function batch(seed: number): BatchTensors {
  const x = tf.randomNormal([BATCH, ...SHAPE], 0, 1, 'float32', seed) as Tensor4D;
  const labels = tf.tensor1d(Array.from({ length: BATCH }, (_, i) => (i * 7 + seed) % 10), 'int32') as Tensor1D;
  return { x, labels, count: BATCH };
}

function step(s: SearchState, kind: 'weights' | 'first' | 'second', wBatch: BatchTensors, alphaBatch: BatchTensors): void {
  if (kind !== 'weights') {
    const g = kind === 'first'
      ? firstOrderAlphaGrads(s.net, s.alphas, alphaBatch)
      : secondOrderAlphaGrads(s.net, s.weights, s.alphas, wBatch, alphaBatch, { xi: 0.025, momentum: 0.9, buffers: s.wOptimizer.slots, weightDecay: 3e-4 });
    s.alphaOptimizer.step(g.grads, 3e-4);
    tf.dispose(g.grads);
  }
  trainStep({ model: s.net.model, params: s.weights, optimizer: s.wOptimizer, labelSmoothing: 0, measureNorms: false, clipNorm: 5 }, wBatch, 0.025);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

function stepTimes(s: Setting): void {
  const steps = quick ? 2 : 5;
  const { state } = setup(s, 'second');
  const [w, a] = [batch(1), batch(2)];
  const ms: Record<string, number> = {};
  for (const kind of ['weights', 'first', 'second'] as const) {
    step(state, kind, w, a); // warm-up
    const times: number[] = [];
    for (let i = 0; i < steps; i++) {
      const t = performance.now();
      step(state, kind, w, a);
      times.push(performance.now() - t);
    }
    ms[kind] = median(times);
  }
  const base = ms.weights as number;
  console.log(`${s.space} C=${s.channels} L=${s.layers}, batch ${BATCH}: ${state.net.model.layers.length} layers`);
  for (const kind of ['weights', 'first', 'second'] as const) console.log(`  ${kind.padEnd(8)} step ${((ms[kind] as number) / 1000).toFixed(2)} s   ×${((ms[kind] as number) / base).toFixed(2)}`);
  tf.dispose([w.x, w.labels, a.x, a.labels]);
}

/** In a child process: two DARTS steps, then the ratio of the peak memory they added to the stored activations. */
function memoryChild(s: Setting, order: 'first' | 'second'): void {
  const { state, activations } = setup(s, order);
  const [w, a] = [batch(1), batch(2)];
  // The resident size now, not the peak so far: loading (tsx compiling a cold cache) can peak higher than the steady state.
  const before = process.memoryUsage().rss;
  const startupPeak = process.resourceUsage().maxRSS * 1024;
  for (let i = 0; i < 2; i++) step(state, order, w, a);
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ added: peak - before, activations, startupPeakAbove: peak <= startupPeak }));
}

const child = process.argv.indexOf('--memory');
if (child >= 0) {
  const [space, channels, layers, order] = process.argv.slice(child + 1);
  memoryChild({ space: space as Setting['space'], channels: Number(channels), layers: Number(layers) }, order as 'first' | 'second');
} else {
  if (!process.argv.includes('--memory-only'))
    for (const s of quick ? [{ space: 'nb201', channels: 8, layers: 1 } as const] : [{ space: 'darts', channels: 4, layers: 3 } as const, { space: 'nb201', channels: 8, layers: 2 } as const]) stepTimes(s);
  console.log('\nmemory: peak added by two steps / cost-model stored activations (TAPE_FACTOR first %s, second %s)', TAPE_FACTOR.first, TAPE_FACTOR.second);
  const sizes: [Setting, 'first' | 'second'][] = quick
    ? [[{ space: 'nb201', channels: 8, layers: 1 }, 'first']]
    : [[{ space: 'darts', channels: 4, layers: 3 }, 'first'], [{ space: 'darts', channels: 8, layers: 3 }, 'first'], [{ space: 'darts', channels: 4, layers: 3 }, 'second'], [{ space: 'nb201', channels: 8, layers: 2 }, 'first']];
  for (const [s, order] of sizes) {
    const run = spawnSync(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--memory', s.space, String(s.channels), String(s.layers), order], { encoding: 'utf8' });
    const line = run.stdout.split('\n').find((l) => l.startsWith('{'));
    if (line === undefined) {
      console.log(`  ${s.space} C=${s.channels} L=${s.layers} ${order}: failed ${run.stderr.slice(-300)}`);
      continue;
    }
    const { added, activations, startupPeakAbove } = JSON.parse(line) as { added: number; activations: number; startupPeakAbove: boolean };
    const note = startupPeakAbove ? ' (the process peaked higher while loading: an upper bound)' : '';
    console.log(`  ${s.space} C=${s.channels} L=${s.layers} ${order.padEnd(6)}: ${(added / 2 ** 20).toFixed(0)} MiB added, activations ${(activations / 2 ** 20).toFixed(0)} MiB, ×${(added / activations).toFixed(2)}${note}`);
  }
}
