// DARTS's costs on this machine, as ratios against a baseline measured in the same run.
//
//   npx tsx bench/darts.ts            # step times (5 steps each) and memory (4 sizes, one process each), both engines
//   npx tsx bench/darts.ts --quick    # 2 steps each, one memory size
//   npx tsx bench/darts.ts --memory-only
//
// Step time: on a supernet (28×28×1 input, batch 32), the median wall time of a weight step alone
// (the baseline: what training the supernet as an ordinary network would cost), of a first-order
// DARTS step (architecture step, then weight step) and of a second-order one, on the eager engine
// (tfjs ops) and on the compiled one (one TensorFlow graph per step); the compiled figures are also
// given as speed-ups over the eager ones.
// Memory: the peak resident memory of two DARTS steps in a fresh process, minus the process before
// them, divided by the cost model's stored activations of one batch: what TAPE_FACTOR
// (src/search/darts/memory.ts) must cover, per engine.
import { spawnSync } from 'node:child_process';
import type { Tensor1D, Tensor4D } from '@tensorflow/tfjs-node';
import { loadTf } from '../src/backend/tf.js';
import { checkOptions } from '../src/core/options.js';
import { dartsOptions, createSupernet, supernetArch, type DartsOptions } from '../src/search/darts/index.js';
import { compiledEngine } from '../src/search/darts/compiled-engine.js';
import { eagerEngine, type DartsEngine } from '../src/search/darts/engine.js';
import { TAPE_FACTOR } from '../src/search/darts/memory.js';
import { searchState } from '../src/search/darts/state.js';
import { costOf } from '../src/space/cost/index.js';
import { createSpace } from '../src/space/spaces/index.js';
import type { BatchTensors } from '../src/eval/train/index.js';

const tf = loadTf();
const quick = process.argv.includes('--quick');
const SHAPE = [28, 28, 1] as const;
const BATCH = 32;

type Setting = { readonly space: 'darts' | 'nb201'; readonly channels: number; readonly layers: number };
type Engine = 'eager' | 'compiled';

async function setup(
  s: Setting,
  order: 'first' | 'second',
  kind: Engine,
): Promise<{ engine: DartsEngine; layers: number; activations: number }> {
  const space =
    s.space === 'darts'
      ? createSpace('darts', { nodes: 4, layers: s.layers, channels: s.channels })
      : createSpace('nb201', { cells: s.layers, channels: s.channels });
  const arch = supernetArch(space, {}, { inputShape: SHAPE, classes: 10 });
  const options = checkOptions(dartsOptions, { order }).values as DartsOptions;
  const state = searchState(createSupernet(space.relaxation?.() ?? { cells: [] }, arch, 1), options);
  const layers = state.net.model.layers.length;
  const engine = kind === 'eager' ? eagerEngine(state, options) : await compiledEngine(state, arch, options);
  return { engine, layers, activations: costOf(arch, { batch: BATCH }).memory.trainActivations };
}

function batch(seed: number): BatchTensors {
  const x = tf.randomNormal([BATCH, ...SHAPE], 0, 1, 'float32', seed) as Tensor4D;
  const labels = tf.tensor1d(
    Array.from({ length: BATCH }, (_, i) => (i * 7 + seed) % 10),
    'int32',
  ) as Tensor1D;
  return { x, labels, count: BATCH };
}

/** A weight step alone, or a DARTS step (the engine's order: an architecture step, then a weight step). */
function step(e: DartsEngine, kind: 'weights' | 'darts', wBatch: BatchTensors, alphaBatch: BatchTensors): void {
  if (kind === 'darts') e.alphaStep(wBatch, alphaBatch, 0.025);
  e.weightStep(wBatch, 0.025);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Median ms of a weight step and of a DARTS step of each order, on one engine. */
async function stepTimes(
  s: Setting,
  kind: Engine,
): Promise<{ layers: number; ms: Record<'weights' | 'first' | 'second', number> }> {
  const steps = quick ? 2 : 5;
  const [w, a] = [batch(1), batch(2)];
  const ms = { weights: 0, first: 0, second: 0 };
  let layers = 0;
  for (const order of ['first', 'second'] as const) {
    const set = await setup(s, order, kind);
    layers = set.layers;
    for (const what of order === 'first' ? (['weights', 'darts'] as const) : (['darts'] as const)) {
      step(set.engine, what, w, a); // warm-up (the compiled graph is optimized on its first run)
      const times: number[] = [];
      for (let i = 0; i < steps; i++) {
        const t = performance.now();
        step(set.engine, what, w, a);
        times.push(performance.now() - t);
      }
      ms[what === 'weights' ? 'weights' : order] = median(times);
    }
    set.engine.dispose();
  }
  tf.dispose([w.x, w.labels, a.x, a.labels]);
  return { layers, ms };
}

async function compareEngines(s: Setting): Promise<void> {
  const eager = await stepTimes(s, 'eager');
  const compiled = await stepTimes(s, 'compiled');
  console.log(`${s.space} C=${s.channels} L=${s.layers}, batch ${BATCH}: ${eager.layers} layers`);
  console.log('  step          eager            compiled         compiled vs eager');
  for (const kind of ['weights', 'first', 'second'] as const) {
    const [e, c] = [eager.ms[kind], compiled.ms[kind]];
    const ratio = (ms: number, base: number) => `${(ms / 1000).toFixed(2)} s ×${(ms / base).toFixed(2)}`.padEnd(17);
    console.log(
      `  ${kind.padEnd(12)}${ratio(e, eager.ms.weights)}${ratio(c, compiled.ms.weights)}${(e / c).toFixed(2)}× faster`,
    );
  }
}

/** In a child process: two DARTS steps, then the ratio of the peak memory they added to the stored activations. */
async function memoryChild(s: Setting, order: 'first' | 'second', kind: Engine): Promise<void> {
  const { engine, activations } = await setup(s, order, kind);
  const [w, a] = [batch(1), batch(2)];
  // The resident size now, not the peak so far: loading (tsx compiling a cold cache) can peak higher than the steady state.
  const before = process.memoryUsage().rss;
  const startupPeak = process.resourceUsage().maxRSS * 1024;
  for (let i = 0; i < 2; i++) step(engine, 'darts', w, a);
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ added: peak - before, activations, startupPeakAbove: peak <= startupPeak }));
}

const child = process.argv.indexOf('--memory');
if (child >= 0) {
  const [space, channels, layers, order, kind] = process.argv.slice(child + 1);
  await memoryChild(
    { space: space as Setting['space'], channels: Number(channels), layers: Number(layers) },
    order as 'first' | 'second',
    kind as Engine,
  );
} else {
  if (!process.argv.includes('--memory-only'))
    for (const s of quick
      ? [{ space: 'nb201', channels: 8, layers: 1 } as const]
      : [{ space: 'darts', channels: 4, layers: 3 } as const, { space: 'nb201', channels: 8, layers: 2 } as const])
      await compareEngines(s);
  console.log('\nmemory: peak added by two steps / cost-model stored activations (TAPE_FACTOR %j)', TAPE_FACTOR);
  const sizes: [Setting, 'first' | 'second'][] = quick
    ? [[{ space: 'nb201', channels: 8, layers: 1 }, 'first']]
    : [
        [{ space: 'darts', channels: 4, layers: 3 }, 'first'],
        [{ space: 'darts', channels: 8, layers: 3 }, 'first'],
        [{ space: 'darts', channels: 4, layers: 3 }, 'second'],
        [{ space: 'nb201', channels: 8, layers: 2 }, 'first'],
      ];
  for (const [s, order] of sizes)
    for (const kind of ['eager', 'compiled'] as const) {
      const run = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          new URL(import.meta.url).pathname,
          '--memory',
          s.space,
          String(s.channels),
          String(s.layers),
          order,
          kind,
        ],
        { encoding: 'utf8' },
      );
      const line = run.stdout.split('\n').find((l) => l.startsWith('{'));
      if (line === undefined) {
        console.log(`  ${kind} ${s.space} C=${s.channels} L=${s.layers} ${order}: failed ${run.stderr.slice(-300)}`);
        continue;
      }
      const { added, activations, startupPeakAbove } = JSON.parse(line) as {
        added: number;
        activations: number;
        startupPeakAbove: boolean;
      };
      const note = startupPeakAbove ? ' (the process peaked higher while loading: an upper bound)' : '';
      console.log(
        `  ${kind.padEnd(8)} ${s.space} C=${s.channels} L=${s.layers} ${order.padEnd(6)}: ${(added / 2 ** 20).toFixed(0)} MiB added, activations ${(activations / 2 ** 20).toFixed(0)} MiB, ×${(added / activations).toFixed(2)}${note}`,
      );
    }
}
