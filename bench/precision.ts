// Mixed precision on the compiled training path: does bfloat16 (or float16) compute train faster on
// this CPU with the libtensorflow tfjs-node loads, and does it still converge? (design: train.precision)
//
//   npx tsx bench/precision.ts            # all sections, three networks, 7 rounds, MNIST 300 steps
//   npx tsx bench/precision.ts --quick    # the conv-heavy network only, 3 rounds, MNIST 120 steps
//
// Sections:
// 1. Kernels: every op a training step uses, run in bfloat16 and float16 in a tiny graph (probe.ts),
//    with oneDNN (the default) and with TF_ENABLE_ONEDNN_OPTS=0 (Eigen kernels, a child process).
// 2. Step time of the compiled `train` signature, float32 against its mixed-precision rewrites
//    (variants.ts: float32 master weights, BatchNorm statistics and loss; bf16 convolutions/matmuls
//    only, or bf16 activations throughout), all loaded in one process from the same weights; rounds
//    rotate the variants (A B C, B C A, …); the figure is the median round, the ratio the median of
//    each round's ratio against float32 in that round.
// 3. float16: the same rewrite at a small batch (its weight-gradient convolution is oneDNN's
//    reference kernel, seconds per call); and every variant with TF_ENABLE_ONEDNN_OPTS=0 (Eigen's
//    kernels, in a child process).
// 4. oneDNN's own bf16 math for float32 graphs (TF_SET_ONEDNN_FPMATH_MODE=BF16, read once per
//    process): child processes alternating with default ones, median of the pairs' ratios.
// 5. Which oneDNN implementation runs each convolution/matmul (ONEDNN_VERBOSE=1 in a child).
// 6. Grappler's auto_mixed_precision: the optimizers the session tfjs-node creates runs (meta
//    optimizer log in a child, with the TF_AUTO_MIXED_PRECISION_GRAPH_REWRITE_* variables set).
// 7. Convergence: MNIST, the same batches and initial weights, float32 vs the bf16 variants.
//
// The machine may be shared (other jobs): the 1-minute load average is printed before and after.
// Internal: `--child probe|time|step …` runs one part in a child process (environment set by the parent).
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import type { Tensor1D, Tensor4D } from '@tensorflow/tfjs-node';
import { loadTf } from '../src/backend/tf.js';
import { buildModel } from '../src/eval/build/build-model.js';
import type { CompiledModel } from '../src/eval/compile/compiled-model.js';
import { resolveTrainConfig } from '../src/eval/train/index.js';
import type { ResolvedArch } from '../src/space/resolve.js';
import { nb201Best, resnet20 } from './fixtures/networks.js';
import { convergence } from './precision/mnist.js';
import { convHeavy } from './precision/networks.js';
import { probeKernels, type ProbeResult, type ProbeRow } from './precision/probe.js';
import { buildTraining, loadWithWeights, variantGraph, type Variant } from './precision/variants.js';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 3 : 7;
const STEPS = quick ? 2 : 4;
const PROCESS_PAIRS = quick ? 2 : 4;
const out = (s: string) => void process.stdout.write(`${s}\n`);
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const load = () => loadavg()[0]?.toFixed(1) ?? '?';

const train = resolveTrainConfig({
  seed: 1,
  optimizer: { kind: 'sgd', momentum: 0.9, nesterov: false, weightDecay: 0 },
});

const VARIANTS = {
  float32: { name: 'float32' },
  'bf16-convs': { name: 'bf16 convs/matmuls', dtype: 'bfloat16', scope: 'convs' },
  'bf16-activations': { name: 'bf16 activations', dtype: 'bfloat16', scope: 'activations' },
  'fp16-convs': { name: 'fp16 convs/matmuls', dtype: 'float16', scope: 'convs' },
  'fp16-activations': { name: 'fp16 activations', dtype: 'float16', scope: 'activations' },
} as const satisfies Record<string, Variant>;
type VariantKey = keyof typeof VARIANTS;

const NETWORKS: Record<string, { label: string; arch: () => ResolvedArch; batch: number }> = {
  'conv-heavy': {
    label: 'conv-heavy: 3×3 conv-BN-ReLU 32→64→(max-pool)→128 on 32×32×3, GAP, dense',
    arch: convHeavy,
    batch: 64,
  },
  nb201: { label: 'NAS-Bench-201 network, best cell (C=16, N=5)', arch: nb201Best, batch: 64 },
  resnet20: {
    label: 'macro ResNet-style sample (basic blocks [3, 3, 3], widths 16/32/64)',
    arch: resnet20,
    batch: 128,
  },
};

type Timed = { key: VariantKey; msPerStep: number; ratio: number; firstLoss: number; lowered: number; casts: number };

/** Loads each variant of a network from the same weights and times `steps` steps per round, rotating the order. */
async function timeVariants(
  network: string,
  keys: readonly VariantKey[],
  batch: number,
  rounds: number,
  steps: number,
): Promise<Timed[]> {
  const tf = loadTf();
  const spec = NETWORKS[network] as (typeof NETWORKS)[string];
  const arch = spec.arch();
  const built = buildTraining(arch, train);
  const model = buildModel(arch, { seed: 1 });
  const [h, w, c] = arch.inputShape as [number, number, number];
  const x = tf.randomNormal([batch, h, w, c], 0, 1, 'float32', 1) as Tensor4D;
  const y = tf.tensor1d(
    Array.from({ length: batch }, (_, i) => i % 10),
    'int32',
  ) as Tensor1D;
  const loaded: { key: VariantKey; m: CompiledModel; firstLoss: number; lowered: number; casts: number }[] = [];
  for (const key of keys) {
    const vg = variantGraph(built, VARIANTS[key]);
    const m = await loadWithWeights(vg.compiled, model);
    const firstLoss = m.train(x, y, 0.01)[0] as number; // warm-up: the session optimizes the graph on its first run
    loaded.push({ key, m, firstLoss, lowered: vg.lowered, casts: vg.casts });
  }
  model.dispose();
  const times = keys.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < keys.length; k++) {
      const i = (k + r) % keys.length;
      const t = performance.now();
      for (let s = 0; s < steps; s++) loaded[i]?.m.train(x, y, 0.01);
      times[i]?.push((performance.now() - t) / steps);
    }
  }
  for (const l of loaded) l.m.dispose();
  tf.dispose([x, y]);
  const base = times[0] as number[];
  return loaded.map((l, i) => ({
    key: l.key,
    msPerStep: median(times[i] as number[]),
    ratio: median((times[i] as number[]).map((t, r) => (base[r] as number) / t)),
    firstLoss: l.firstLoss,
    lowered: l.lowered,
    casts: l.casts,
  }));
}

function printTimed(title: string, batch: number, rows: readonly Timed[], rounds: number, steps: number): void {
  out(
    `\n${title}, batch ${batch} (${rounds} rounds × ${steps} steps, median; speed-up = float32 time / variant time, median of rounds)`,
  );
  out('  variant               ms/step  images/s  speed-up  lowered ops  Cast ops  1st-step loss (Δ vs float32)');
  const f32 = rows[0]?.firstLoss ?? 0;
  for (const r of rows) {
    const delta = r.key === 'float32' ? '' : ` (${(r.firstLoss - f32).toExponential(1)})`;
    out(
      `  ${VARIANTS[r.key].name.padEnd(20)} ${r.msPerStep.toFixed(1).padStart(8)} ${((batch * 1000) / r.msPerStep).toFixed(0).padStart(9)} ${`${r.ratio < 0.1 ? r.ratio.toPrecision(2) : r.ratio.toFixed(2)}×`.padStart(9)} ` +
        `${String(r.lowered).padStart(12)} ${String(r.casts).padStart(9)}  ${r.firstLoss.toFixed(5)}${delta}`,
    );
  }
}

// ---- child processes ----

type ChildResult = { msPerStep: number; loss: number };

/** In a child: `steps` timed steps (after `warmup`) of one variant; prints RESULT {json}. */
async function childStep(
  network: string,
  key: VariantKey,
  batch: number,
  warmup: number,
  steps: number,
): Promise<void> {
  const tf = loadTf();
  const spec = NETWORKS[network] as (typeof NETWORKS)[string];
  const arch = spec.arch();
  const built = buildTraining(arch, train);
  const model = buildModel(arch, { seed: 1 });
  const m = await loadWithWeights(variantGraph(built, VARIANTS[key]).compiled, model);
  const [h, w, c] = arch.inputShape as [number, number, number];
  const x = tf.randomNormal([batch, h, w, c], 0, 1, 'float32', 1) as Tensor4D;
  const y = tf.tensor1d(
    Array.from({ length: batch }, (_, i) => i % 10),
    'int32',
  ) as Tensor1D;
  let loss = 0;
  for (let s = 0; s < warmup; s++) loss = m.train(x, y, 0.01)[0] as number;
  const t = performance.now();
  for (let s = 0; s < steps; s++) m.train(x, y, 0.01);
  const result: ChildResult = { msPerStep: (performance.now() - t) / Math.max(1, steps), loss };
  out(`RESULT ${JSON.stringify(result)}`);
}

/** Runs this file as a child process with `--child …args` and `env`; `result` is its RESULT line's JSON. */
function runChild(
  args: readonly string[],
  env: Record<string, string>,
): { stdout: string; stderr: string; result?: unknown } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--child', ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 256 * 2 ** 20,
  });
  const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  return line === undefined
    ? { stdout: run.stdout, stderr: run.stderr }
    : { stdout: run.stdout, stderr: run.stderr, result: JSON.parse(line.slice('RESULT '.length)) };
}

// ---- sections ----

const cell = (r: ProbeResult | undefined) =>
  r === undefined ? 'n/a' : r.ok ? `ok ${r.relError.toExponential(0)}` : 'MISSING';

async function kernels(): Promise<void> {
  out(
    '\n1. CPU kernels in bfloat16 / float16 (a tiny graph per op, Cast in and out; "ok e" = runs, max |low − f32| / max |f32| = e)',
  );
  const onednn = await probeKernels();
  const eigen = runChild(['probe'], { TF_ENABLE_ONEDNN_OPTS: '0' }).result as ProbeRow[] | undefined;
  out(
    '  op                                   case                               bf16 oneDNN  fp16 oneDNN   bf16 Eigen   fp16 Eigen',
  );
  const reasons = new Set<string>();
  onednn.forEach((row, i) => {
    const e = eigen?.[i];
    out(
      `  ${row.op.padEnd(36)} ${row.note.slice(0, 34).padEnd(34)} ${cell(row.results.bfloat16).padStart(11)} ${cell(row.results.float16).padStart(12)} ${cell(e?.results.bfloat16).padStart(12)} ${cell(e?.results.float16).padStart(12)}`,
    );
    for (const r of [row.results.bfloat16, row.results.float16, e?.results.bfloat16, e?.results.float16])
      if (r !== undefined && !r.ok) reasons.add(r.reason);
  });
  for (const reason of reasons) out(`  MISSING: ${reason}`);
  if (eigen === undefined) out('  (the TF_ENABLE_ONEDNN_OPTS=0 child failed)');
  out(
    '  MaxPoolGrad: rounding makes ties inside the 2×2 windows, so the gradient goes to another element of the window (a routing difference, not a wrong kernel).',
  );
}

async function stepTimes(): Promise<void> {
  out('\n2. training step, float32 vs bfloat16 rewrites (one process, the same initial weights)');
  const networks = quick ? ['conv-heavy'] : ['conv-heavy', 'nb201', 'resnet20'];
  for (const network of networks) {
    const spec = NETWORKS[network] as (typeof NETWORKS)[string];
    const rows = await timeVariants(network, ['float32', 'bf16-convs', 'bf16-activations'], spec.batch, ROUNDS, STEPS);
    printTimed(spec.label, spec.batch, rows, ROUNDS, STEPS);
  }
}

async function float16(): Promise<void> {
  const batch = 8;
  const label = `${NETWORKS['conv-heavy']?.label ?? ''}`;
  const keys: VariantKey[] = quick ? ['float32', 'fp16-convs'] : ['float32', 'fp16-convs', 'fp16-activations'];
  out(`\n3. float16 at batch ${batch} (timing needs no loss scaling), and both low dtypes without oneDNN`);
  printTimed(
    `${label}; oneDNN (default)`,
    batch,
    await timeVariants('conv-heavy', keys, batch, quick ? 1 : 2, 1),
    quick ? 1 : 2,
    1,
  );
  const eigenKeys: VariantKey[] = ['float32', 'bf16-convs', 'bf16-activations', 'fp16-convs', 'fp16-activations'];
  const eigen = runChild(['time', 'conv-heavy', eigenKeys.join(','), String(batch), '2', '1'], {
    TF_ENABLE_ONEDNN_OPTS: '0',
  }).result as Timed[] | undefined;
  if (eigen === undefined) out('  (the TF_ENABLE_ONEDNN_OPTS=0 child failed)');
  else printTimed(`${label}; TF_ENABLE_ONEDNN_OPTS=0 (Eigen kernels, a child process)`, batch, eigen, 2, 1);
}

function fpmath(): void {
  const network = 'conv-heavy';
  const spec = NETWORKS[network] as (typeof NETWORKS)[string];
  const steps = quick ? 4 : 8;
  out(
    `\n4. float32 graph, oneDNN bf16 math (TF_SET_ONEDNN_FPMATH_MODE=BF16) vs default; ${PROCESS_PAIRS} pairs of child processes × ${steps} steps, alternating order`,
  );
  const ratios: number[] = [];
  const ms: Record<'default' | 'fpmath', number[]> = { default: [], fpmath: [] };
  const losses: Record<'default' | 'fpmath', number> = { default: 0, fpmath: 0 };
  for (let p = 0; p < PROCESS_PAIRS; p++) {
    const order: ('default' | 'fpmath')[] = p % 2 === 0 ? ['default', 'fpmath'] : ['fpmath', 'default'];
    const pair: Partial<Record<'default' | 'fpmath', number>> = {};
    for (const kind of order) {
      const run = runChild(
        ['step', network, 'float32', String(spec.batch), '2', String(steps)],
        kind === 'fpmath' ? { TF_SET_ONEDNN_FPMATH_MODE: 'BF16' } : {},
      );
      const result = run.result as ChildResult | undefined;
      if (result === undefined) {
        out(`  ${kind} child failed: ${run.stderr.slice(-300)}`);
        return;
      }
      pair[kind] = result.msPerStep;
      ms[kind].push(result.msPerStep);
      losses[kind] = result.loss;
    }
    ratios.push((pair.default as number) / (pair.fpmath as number));
  }
  out(
    `  default  ${median(ms.default).toFixed(1).padStart(7)} ms/step   loss after 2 steps ${losses.default.toFixed(6)}`,
  );
  out(
    `  fpmath   ${median(ms.fpmath).toFixed(1).padStart(7)} ms/step   loss after 2 steps ${losses.fpmath.toFixed(6)} (differs: the mode is on)`,
  );
  out(`  speed-up ${median(ratios).toFixed(2)}× (pairs: ${ratios.map((r) => r.toFixed(2)).join(', ')})`);
}

/** The distinct oneDNN implementations of the heavy primitives a child's steps ran. */
function implementations(stdout: string): string[] {
  const seen = new Map<string, Set<string>>();
  for (const line of stdout.split('\n')) {
    const f = line.split(',');
    if (
      f[0] !== 'onednn_verbose' ||
      f[3] !== 'exec' ||
      !['convolution', 'matmul', 'inner_product'].includes(f[5] ?? '')
    )
      continue;
    const key = `${f[5]} ${f[7] === 'undef' ? '' : f[7]}`.trim();
    const dt = /src:(\w+)/.exec(line)?.[1] ?? '';
    if (!seen.has(key)) seen.set(key, new Set());
    seen.get(key)?.add(`${f[6]} (${dt})`);
  }
  return [...seen].map(([k, v]) => `${k}: ${[...v].join(', ')}`);
}

function onednnVerbose(): void {
  out('\n5. oneDNN implementations of the convolutions and matmuls (ONEDNN_VERBOSE=1, conv-heavy network, 2 steps)');
  const cases: [string, VariantKey, number, Record<string, string>][] = [
    ['float32', 'float32', 64, {}],
    ['float32 + TF_SET_ONEDNN_FPMATH_MODE=BF16', 'float32', 64, { TF_SET_ONEDNN_FPMATH_MODE: 'BF16' }],
    ['bf16 activations', 'bf16-activations', 64, {}],
    ['fp16 convs/matmuls (batch 8)', 'fp16-convs', 8, {}],
  ];
  for (const [label, key, batch, env] of cases) {
    const run = runChild(['step', 'conv-heavy', key, String(batch), '1', '1'], { ...env, ONEDNN_VERBOSE: '1' });
    out(`  ${label}`);
    for (const l of implementations(run.stdout)) out(`    ${l}`);
  }
}

function grappler(): void {
  out(
    '\n6. grappler auto_mixed_precision in the session tfjs-node loads (meta optimizer log of a child, AMP variables set)',
  );
  const env = {
    TF_CPP_MIN_LOG_LEVEL: '0',
    TF_CPP_VMODULE: 'meta_optimizer=1',
    TF_AUTO_MIXED_PRECISION_GRAPH_REWRITE_LEVEL: 'TREAT_INFERLIST_AS_DENYLIST',
    TF_AUTO_MIXED_PRECISION_GRAPH_REWRITE_IGNORE_PERFORMANCE: '1',
  };
  const run = runChild(['step', 'conv-heavy', 'float32', '8', '1', '0'], env);
  const names = new Set([...run.stderr.matchAll(/meta_optimizer\.cc:\d+\] ([a-z_]+)[:{]/g)].map((m) => m[1] as string));
  out(`  optimizers that ran: ${[...names].join(', ') || '(none logged)'}`);
  out(
    `  auto_mixed_precision*: ${[...names].some((n) => n.startsWith('auto_mixed_precision')) ? 'RAN' : 'not run'} — it is switched on only by RewriterConfig (ConfigProto), and tfjs-node's LoadSavedModel passes TF_NewSessionOptions() without TF_SetConfig; the environment variables only tune it once on`,
  );
}

async function mnist(): Promise<void> {
  const steps = quick ? 150 : 400;
  const window = 50;
  const o = { steps, batch: 64, lr: 0.01, window, testImages: quick ? 2000 : 10_000 };
  out(
    `\n7. convergence: MNIST (conv 32 → pool → conv 64 → pool, BN, ReLU, flatten, dense; SGD momentum 0.9, lr ${o.lr}), ${steps} steps of ${o.batch}, same batches and initial weights`,
  );
  const keys: VariantKey[] = ['float32', 'bf16-convs', 'bf16-activations'];
  const rows = await convergence(
    keys.map((k) => VARIANTS[k]),
    train,
    o,
  );
  const base = rows[0]?.seconds ?? 1;
  out(
    `  variant               train loss by ${window} steps${' '.repeat(Math.max(0, 8 * (rows[0]?.windows.length ?? 0) - 23))}  test acc (${o.testImages})  test loss  train time  speed-up`,
  );
  for (const r of rows) {
    out(
      `  ${r.variant.name.padEnd(20)} ${r.windows.map((w) => w.toFixed(4).padStart(7)).join(' ')}   ${`${(r.testAccuracy * 100).toFixed(2)}%`.padStart(14)}  ${r.testLoss.toFixed(4).padStart(9)}  ${r.seconds.toFixed(1).padStart(8)} s  ${`${(base / r.seconds).toFixed(2)}×`.padStart(8)}`,
    );
  }
}

const child = process.argv.indexOf('--child');
if (child >= 0) {
  const [kind, ...args] = process.argv.slice(child + 1);
  if (kind === 'probe') out(`RESULT ${JSON.stringify(await probeKernels())}`);
  else if (kind === 'time')
    out(
      `RESULT ${JSON.stringify(await timeVariants(args[0] as string, (args[1] as string).split(',') as VariantKey[], Number(args[2]), Number(args[3]), Number(args[4])))}`,
    );
  else await childStep(args[0] as string, args[1] as VariantKey, Number(args[2]), Number(args[3]), Number(args[4]));
} else {
  const tf = loadTf();
  out(
    `mixed precision on the compiled path: TensorFlow ${(tf.backend() as unknown as { binding: { TF_Version: string } }).binding.TF_Version} (tfjs-node ${tf.version['tfjs-node']}), load average ${load()} at start`,
  );
  await kernels();
  await stepTimes();
  await float16();
  fpmath();
  onednnVerbose();
  grappler();
  await mnist();
  out(`\nload average ${load()} at the end`);
}
