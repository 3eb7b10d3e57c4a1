// Gradient checkpointing (design part 5.1): peak memory against step time of compiled training, for
// K = 1, ⌈√N⌉ and N segments and without checkpointing, on two deep networks and a DARTS supernet.
//
//   npx tsx bench/checkpointing.ts            # 10 timed steps per figure
//   npx tsx bench/checkpointing.ts --quick    # 3
//
// Each figure runs in its own process (peak RSS is a per-process high-water mark): compile, load and
// assign the weights, reset the kernel's high-water mark (/proc/self/clear_refs), run the steps (the
// first untimed: TensorFlow optimises the graph on its first run); "step peak" is the resident set's
// high-water mark over the steps minus the resident set before them. TensorFlow's oneDNN CPU
// allocator keeps freed blocks for reuse (a BFC pool), so the resident set grows to the largest
// amount a step had alive and stays there: the high-water mark is that amount. TensorFlow's allocator
// statistics are not
// reachable through tfjs-node, so the resident set is the measure. "estimate" is the cost model's
// training activations for the same K (src/space/cost/segments.ts); ratios are against no
// checkpointing in the same run.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { Tensor1D, Tensor4D } from '@tensorflow/tfjs-node';
import { loadTf } from '../src/backend/tf.js';
import type { ArchNode } from '../src/core/arch.js';
import { Rng } from '../src/core/rng.js';
import { buildModel } from '../src/eval/build/build-model.js';
import { CompiledModel, compileFromModel, compileSupernet } from '../src/eval/compile/index.js';
import { resolveTrainConfig } from '../src/eval/train/index.js';
import { costOf } from '../src/space/cost/index.js';
import { createSpace } from '../src/space/spaces/index.js';
import { assertArch, type ResolvedArch } from '../src/space/index.js';
import { supernetArch } from '../src/search/darts/index.js';

const QUICK = process.argv.includes('--quick');
const STEPS = QUICK ? 3 : 10;
const out = (s: string) => void process.stdout.write(`${s}\n`);
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const MiB = 2 ** 20;

type Network = {
  readonly label: string;
  readonly batch: number;
  readonly arch: () => ResolvedArch;
  readonly supernet: boolean;
};

/** ResNet-56's layout in the macro space: basic blocks [9, 9, 9], widths 16/32/64 (N = 173 stored nodes). */
function resnet56(): ResolvedArch {
  const space = createSpace('macro', {});
  const stage = (width: number, stride: number) => ({
    block: 'basic',
    kernel: 3,
    expansion: 1,
    width,
    depth: 9,
    stride,
    attention: 'none',
  });
  return assertArch(space.freeze({ stages: [stage(16, 1), stage(32, 2), stage(64, 2)] } as never), {
    inputShape: [32, 32, 3],
    classes: 10,
  });
}

/** A plain deep stage: 24 × (3×3 conv 32 → BN → ReLU) at 64×64, GAP, dense (N = 74): activations dominate. */
function deepChain(): ResolvedArch {
  const nodes: ArchNode[] = [];
  let last = 'input';
  for (let i = 0; i < 24; i++) {
    nodes.push(
      { id: `c${i}`, op: 'conv', inputs: [last], filters: 32, kernel: 3, padding: 'same', bias: false },
      { id: `b${i}`, op: 'bn', inputs: [`c${i}`] },
      { id: `r${i}`, op: 'act', fn: 'relu', inputs: [`b${i}`] },
    );
    last = `r${i}`;
  }
  nodes.push(
    { id: 'gap', op: 'gap', inputs: [last] },
    { id: 'logits', op: 'dense', units: 'classes', inputs: ['gap'] },
  );
  return assertArch({ version: 1, nodes, output: 'logits' }, { inputShape: [64, 64, 3], classes: 10 });
}

function dartsSupernet(): ResolvedArch {
  return supernetArch(createSpace('darts', {}), { channels: 8, layers: 5 }, { inputShape: [32, 32, 3], classes: 10 });
}

const NETWORKS: Readonly<Record<string, Network>> = {
  chain: {
    label: 'plain deep stage: 24 × (3×3 conv 32, BN, ReLU) at 64×64×3, batch 64',
    batch: 64,
    arch: deepChain,
    supernet: false,
  },
  resnet56: {
    label: 'macro ResNet-56 layout (basic blocks [9, 9, 9], widths 16/32/64), batch 128',
    batch: 128,
    arch: resnet56,
    supernet: false,
  },
  darts: {
    label: 'DARTS supernet (C = 8, 5 cells, 8 ops per edge), weight step, batch 32',
    batch: 32,
    arch: dartsSupernet,
    supernet: true,
  },
};

function status(field: 'VmRSS' | 'VmHWM'): number {
  const line =
    fs
      .readFileSync('/proc/self/status', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${field}:`)) ?? '';
  return Number(line.replace(/\D/g, '')) * 1024;
}

/** One figure, in this process: JSON on stdout. */
async function child(name: string, segments: number | 'none'): Promise<void> {
  const tf = loadTf();
  const n = NETWORKS[name] as Network;
  const arch = n.arch();
  const checkpointing = segments === 'none' ? undefined : { segments };
  const x = tf.randomNormal(
    [n.batch, ...arch.inputShape] as [number, number, number, number],
    0,
    1,
    'float32',
    1,
  ) as Tensor4D;
  const labels = tf.tensor1d(
    Array.from({ length: n.batch }, (_, i) => i % 10),
    'int32',
  ) as Tensor1D;
  let step: () => void;
  let compiled: CompiledModel;
  if (n.supernet) {
    compiled = await CompiledModel.load(
      compileSupernet(arch, {
        momentum: 0.9,
        weightDecay: 3e-4,
        clipNorm: 5,
        alphaLr: 3e-4,
        alphaBeta1: 0.5,
        alphaBeta2: 0.999,
        alphaWeightDecay: 1e-3,
        finiteDifference: 0.01,
        ...(segments === 'none' ? {} : { checkpointSegments: segments }),
      }),
    );
    // Seeded values by kind (the eager builder takes no supernet without its α): He-scaled kernels, γ and
    // moving variances 1, α near uniform, the rest (β, biases, means, optimizer slots) 0.
    const rng = new Rng('supernet');
    const value = (v: (typeof compiled.variables)[number]): number => {
      const fanIn = v.shape.slice(0, -1).reduce((a, b) => a * b, 1);
      if (v.kind === 'kernel') return rng.normal() * Math.sqrt(2 / fanIn);
      if (v.kind === 'alpha') return 1e-3 * rng.normal();
      return v.kind === 'gamma' || v.name.endsWith('moving_variance') ? 1 : 0;
    };
    const initial = compiled.variables.map((v) =>
      tf.tensor(
        Array.from({ length: v.shape.reduce((a, b) => a * b, 1) }, () => value(v)),
        [...v.shape],
      ),
    );
    compiled.assignAll(initial);
    tf.dispose(initial);
    const lr = tf.scalar(0.025);
    step = () => void compiled.stats('weight_step', { x, labels, lr });
  } else {
    const model = buildModel(arch, { seed: 1 });
    compiled = await compileFromModel(arch, model, {
      ...resolveTrainConfig({ seed: 1 }),
      ...(checkpointing === undefined ? {} : { checkpointing }),
    });
    step = () => void compiled.train(x, labels, 0.05);
  }
  const before = status('VmRSS');
  fs.writeFileSync('/proc/self/clear_refs', '5');
  const times: number[] = [];
  for (let i = 0; i <= STEPS; i++) {
    const started = performance.now();
    step();
    if (i > 0) times.push(performance.now() - started);
  }
  const peak = status('VmHWM') - before;
  const estimate = costOf(arch, {
    batch: n.batch,
    ...(checkpointing === undefined ? {} : { segments: checkpointing.segments }),
  }).memory.trainActivations;
  out(JSON.stringify({ ms: median(times), peak, estimate }));
  compiled.dispose();
}

function figure(name: string, segments: number | 'none'): { ms: number; peak: number; estimate: number } {
  const text = execFileSync(
    'npx',
    ['tsx', 'bench/checkpointing.ts', '--child', name, String(segments), ...(QUICK ? ['--quick'] : [])],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return JSON.parse(text.trim().split('\n').at(-1) as string) as { ms: number; peak: number; estimate: number };
}

async function main(): Promise<void> {
  out(
    `Gradient checkpointing: compiled training step, median of ${STEPS} steps; step peak = RSS high-water mark over the steps − RSS before`,
  );
  for (const [name, n] of Object.entries(NETWORKS)) {
    const arch = n.arch();
    const stored = arch.nodes.filter((node) => !node.alias).length;
    out(`\n${n.label}: N = ${stored} stored nodes`);
    out('segments        step ms   × time   step peak MiB   × peak   estimate MiB');
    const base = figure(name, 'none');
    const row = (label: string, f: typeof base) =>
      out(
        `${label.padEnd(14)} ${f.ms.toFixed(1).padStart(8)} ${(f.ms / base.ms).toFixed(2).padStart(8)} ${(f.peak / MiB).toFixed(1).padStart(15)} ${(f.peak / base.peak).toFixed(2).padStart(8)} ${(f.estimate / MiB).toFixed(1).padStart(14)}`,
      );
    row('none', base);
    for (const segments of [1, Math.ceil(Math.sqrt(stored)), stored])
      row(segments === Math.ceil(Math.sqrt(stored)) ? `${segments} (√N)` : String(segments), figure(name, segments));
  }
}

const at = process.argv.indexOf('--child');
if (at >= 0)
  await child(process.argv[at + 1] as string, process.argv[at + 2] === 'none' ? 'none' : Number(process.argv[at + 2]));
else await main();
