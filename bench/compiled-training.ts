// Training throughput of the compiled engine (src/eval/compile: one TensorFlow graph, one native
// call per step) against the eager engine (tfjs ops one by one) and PyTorch on the same CPU, same
// network, same batch, in one run.
//
//   npx tsx bench/compiled-training.ts                   # 3 rounds × 8 steps per network and engine, RSS, quick start
//   npx tsx bench/compiled-training.ts --quick           # 1 round × 3 steps, no quick start
//   npx tsx bench/compiled-training.ts --quickstart-only
//
// Networks (32×32×3, 10 classes, SGD with momentum 0.9, no weight decay, as the PyTorch script trains):
// the NAS-Bench-201 network around its best cell (C=16, N=5, 1,073,466 trainable parameters) at
// batch 64, and a macro-space ResNet-style sample (ResNet-20 layout: basic blocks [3, 3, 3], widths
// 16/32/64) at batch 128. Rounds alternate the engines; the figure is the median round.
// PyTorch runs through bench/torch-reference.ts (a venv outside the repo: bench/torch/README.md); its
// row is skipped when no torch is found.
// Peak RSS: a fresh process trains 20 steps of the NB201 network on each engine (maxRSS of the process).
// Quick start: the README's `npx nas search` (nas.config.ts) with train.engine eager and compiled, each
// into its own temporary SQLite file; wall time of the whole command, and the best validation
// accuracy each search found.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LayersModel, Tensor1D, Tensor4D, Variable } from '@tensorflow/tfjs-node';
import { loadTf } from '../src/backend/tf.js';
import { buildModel } from '../src/eval/build/build-model.js';
import { compileFromModel, type CompiledModel } from '../src/eval/compile/index.js';
import { createOptimizer, decays, resolveTrainConfig, trainStep } from '../src/eval/train/index.js';
import type { ResolvedArch } from '../src/space/resolve.js';
import { nb201Best, resnet20 } from './fixtures/networks.js';
import { torchImagesPerSecond } from './torch-reference.js';

const tf = loadTf();
const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 1 : 3;
const STEPS = quick ? 3 : 8;
const out = (s: string) => void process.stdout.write(`${s}\n`);
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const config = resolveTrainConfig({
  seed: 1,
  optimizer: { kind: 'sgd', momentum: 0.9, nesterov: false, weightDecay: 0 },
});

type Engine = { step(x: Tensor4D, y: Tensor1D): void; dispose(): void };

function eager(model: LayersModel): Engine {
  const params = model.trainableWeights.map((w) => ({
    variable: w.read() as Variable,
    decay: decays(w.originalName, 'kernels'),
  }));
  const optimizer = createOptimizer(config.optimizer, params);
  const ctx = { model, params, optimizer, labelSmoothing: 0, measureNorms: false };
  return {
    step: (x, labels) => void trainStep(ctx, { x, labels, count: x.shape[0] }, 0.01),
    dispose: () => optimizer.dispose(),
  };
}

function compiled(c: CompiledModel): Engine {
  return { step: (x, labels) => void c.train(x, labels, 0.01), dispose: () => c.dispose() };
}

async function throughput(name: string, arch: ResolvedArch, batch: number): Promise<void> {
  const x = tf.randomNormal([batch, 32, 32, 3], 0, 1, 'float32', 1) as Tensor4D;
  const y = tf.tensor1d(
    Array.from({ length: batch }, (_, i) => i % 10),
    'int32',
  ) as Tensor1D;
  const eagerModel = buildModel(arch, { seed: 1 });
  const compiledModel = buildModel(arch, { seed: 1 });
  const engines: Record<'eager' | 'compiled', Engine> = {
    eager: eager(eagerModel),
    compiled: compiled(await compileFromModel(arch, compiledModel, config)),
  };
  const rates: Record<'eager' | 'compiled', number[]> = { eager: [], compiled: [] };
  for (const e of Object.values(engines)) e.step(x, y); // warm-up (the graph is optimized on its first run)
  for (let r = 0; r < ROUNDS; r++) {
    const order: readonly ('eager' | 'compiled')[] = r % 2 === 0 ? ['eager', 'compiled'] : ['compiled', 'eager'];
    for (const kind of order) {
      const t = performance.now();
      for (let s = 0; s < STEPS; s++) engines[kind].step(x, y);
      rates[kind].push((batch * STEPS) / ((performance.now() - t) / 1000));
    }
  }
  for (const e of Object.values(engines)) e.dispose();
  tf.dispose([x, y]);
  eagerModel.dispose();
  compiledModel.dispose();
  const torch = torchImagesPerSecond(arch, { batch, steps: STEPS * ROUNDS, warmup: 2 });
  const [e, c] = [median(rates.eager), median(rates.compiled)];
  out(`\n${name}, batch ${batch}`);
  out(`  engine      images/s   vs eager   vs PyTorch`);
  const vsTorch = (v: number) => (torch === undefined ? 'n/a' : `${(v / torch.imagesPerSecond).toFixed(2)}×`);
  out(`  eager       ${e.toFixed(1).padStart(8)}   ${'1.00×'.padStart(8)}   ${vsTorch(e).padStart(10)}`);
  out(
    `  compiled    ${c.toFixed(1).padStart(8)}   ${`${(c / e).toFixed(2)}×`.padStart(8)}   ${vsTorch(c).padStart(10)}`,
  );
  if (torch !== undefined)
    out(
      `  PyTorch ${torch.torch.padEnd(3)} ${torch.imagesPerSecond.toFixed(1).padStart(8)}   ${`${(torch.imagesPerSecond / e).toFixed(2)}×`.padStart(8)}   ${'1.00×'.padStart(10)}`,
    );
}

/** In a child process: 20 steps of the NB201 network on one engine; prints the peak RSS. */
async function rssChild(kind: 'eager' | 'compiled'): Promise<void> {
  const arch = nb201Best();
  const model = buildModel(arch, { seed: 1 });
  const engine = kind === 'eager' ? eager(model) : compiled(await compileFromModel(arch, model, config));
  const x = tf.randomNormal([64, 32, 32, 3], 0, 1, 'float32', 1) as Tensor4D;
  const y = tf.tensor1d(
    Array.from({ length: 64 }, (_, i) => i % 10),
    'int32',
  ) as Tensor1D;
  for (let s = 0; s < 20; s++) engine.step(x, y);
  out(JSON.stringify({ maxRss: process.resourceUsage().maxRSS * 1024 }));
}

function peakRss(): void {
  out('\npeak RSS of a process training the NB201 network (batch 64, 20 steps)');
  for (const kind of ['eager', 'compiled'] as const) {
    const run = spawnSync(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--rss', kind], {
      encoding: 'utf8',
    });
    const line = run.stdout.split('\n').find((l) => l.startsWith('{'));
    out(
      `  ${kind.padEnd(9)} ${line === undefined ? `failed: ${run.stderr.slice(-200)}` : `${((JSON.parse(line) as { maxRss: number }).maxRss / 2 ** 20).toFixed(0)} MiB`}`,
    );
  }
}

function quickStart(): void {
  out('\nthe README quick start (`npx nas search`, nas.config.ts), whole command');
  const dir = mkdtempSync(join(tmpdir(), 'nas-bench-'));
  const base = readFileSync(new URL('../nas.config.ts', import.meta.url), 'utf8');
  const seconds: Record<string, number> = {};
  for (const kind of ['eager', 'compiled'] as const) {
    const file = join(dir, `${kind}.config.ts`);
    writeFileSync(
      file,
      base
        .replace('train: { epochs: 1, batchSize: 64 }', `train: { epochs: 1, batchSize: 64, engine: '${kind}' }`)
        .replace("storage: 'runs/nas.sqlite'", `storage: '${join(dir, `${kind}.sqlite`)}'`),
    );
    const t = performance.now();
    const run = spawnSync(
      process.execPath,
      [new URL('../bin/nas.js', import.meta.url).pathname, 'search', file, '--reporter', 'plain'],
      { encoding: 'utf8', cwd: new URL('..', import.meta.url).pathname },
    );
    seconds[kind] = (performance.now() - t) / 1000;
    const last = run.stdout.trim().split('\n').at(-1) ?? run.stderr.slice(-200);
    const best = [...run.stdout.matchAll(/best val acc ([\d.]+%)/g)].at(-1)?.[1] ?? 'n/a';
    out(
      `  ${kind.padEnd(9)} ${(seconds[kind] as number).toFixed(1)} s   best val acc ${best}   ${last.replace(/^\[[^\]]*\] /, '')}`,
    );
  }
  out(`  compiled vs eager: ${((seconds.eager as number) / (seconds.compiled as number)).toFixed(2)}× faster`);
}

const rss = process.argv.indexOf('--rss');
if (rss >= 0) {
  await rssChild(process.argv[rss + 1] as 'eager' | 'compiled');
} else if (process.argv.includes('--quickstart-only')) {
  quickStart();
} else {
  out(`compiled vs eager vs PyTorch: ${ROUNDS} round(s) × ${STEPS} steps, median round`);
  await throughput('NAS-Bench-201 network, best cell (C=16, N=5)', nb201Best(), 64);
  await throughput('macro ResNet-style sample (basic blocks [3, 3, 3], widths 16/32/64)', resnet20(), 128);
  peakRss();
  if (!quick) quickStart();
}
