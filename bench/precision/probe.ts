/**
 * Which CPU kernels the loaded libtensorflow has for bfloat16 and float16, found by running them: for
 * each op a training step uses, a tiny float32 graph around it (built with Emit, its gradient ops by
 * the compiler's own gradient rules), that one op lowered by src/eval/compile/precision.ts (Cast in, Cast out), written
 * as a SavedModel and run through tf.node.loadSavedModel. A missing kernel fails the run with
 * TensorFlow's "No OpKernel was registered" naming the op and dtype; a kernel that runs is checked
 * against the float32 graph (max |low − f32| / max |f32|).
 */
import type { Tensor } from '@tensorflow/tfjs-node';
import { loadTf } from '../../src/backend/tf.js';
import { Emit } from '../../src/eval/compile/emit.js';
import { gradientRule } from '../../src/eval/compile/gradients/index.js';
import { Graph, type GraphNode, type Sym } from '../../src/eval/compile/graph.js';
import { biasAdd, conv2d, depthwise, fusedBatchNorm, matMul, pool } from '../../src/eval/compile/nn.js';
import { placeholder } from '../../src/eval/compile/parts.js';
import { removeSavedModel, savedModelBytes, writeSavedModel } from '../../src/eval/compile/saved-model.js';
import { lowerPrecision, type LowDType } from '../../src/eval/compile/precision.js';

export type ProbeResult =
  { readonly ok: true; readonly relError: number } | { readonly ok: false; readonly reason: string };
export type ProbeRow = {
  readonly op: string;
  readonly note: string;
  readonly results: Readonly<Record<LowDType, ProbeResult>>;
};

type Built = { readonly inputs: Record<string, Sym>; readonly target: GraphNode };
type Case = { readonly op: string; readonly note?: string; build(e: Emit): Built };

const N = 4;
const HW = 16;
const C = 32;
const SAME3: readonly [readonly [number, number], readonly [number, number]] = [
  [1, 1],
  [1, 1],
];

/** The node that produced `s`. */
const nodeOf = (s: Sym | undefined): GraphNode => (s as Sym).node;

function act(e: Emit, name = 'x', shape: readonly number[] = [N, HW, HW, C]): Sym {
  return placeholder(e, name, shape);
}

/** A forward node and its gradient ops for dy (the compiler's rule). */
function withGradient(e: Emit, forward: GraphNode, dyShape: readonly number[], inputs: Record<string, Sym>) {
  const dy = placeholder(e, 'dy', dyShape);
  const grads = gradientRule(forward.op)(e, forward, [dy, ...forward.outputs.slice(1).map(() => undefined)]);
  return { inputs: { ...inputs, dy }, grads };
}

function conv(e: Emit) {
  const x = act(e);
  const w = placeholder(e, 'w', [3, 3, C, C]);
  const y = conv2d(e, x, w, [1, 1], [1, 1], SAME3);
  return { x, w, y };
}

function dw(e: Emit) {
  const x = act(e);
  const w = placeholder(e, 'w', [3, 3, C, 1]);
  const y = depthwise(e, x, w, [1, 1], SAME3);
  return { x, w, y };
}

function batchNorm(e: Emit, training: boolean) {
  const x = act(e);
  const scale = placeholder(e, 'scale', [C]);
  const offset = placeholder(e, 'offset', [C]);
  const stats = training
    ? { mean: e.constF([], [0]), variance: e.constF([], [0]) }
    : { mean: placeholder(e, 'mean', [C]), variance: placeholder(e, 'variance', [C]) };
  const outs = fusedBatchNorm(e, x, scale, offset, stats.mean, stats.variance, 1e-3, training);
  const inputs: Record<string, Sym> = training
    ? { x, scale, offset }
    : { x, scale, offset, mean: stats.mean, variance: stats.variance };
  return { inputs, y: outs[0] as Sym };
}

function maxPool(e: Emit) {
  const x = act(e);
  return { x, y: pool(e, 'max', x, [2, 2], [2, 2], 'VALID') };
}

function avgPool(e: Emit) {
  const x = act(e);
  return { x, y: pool(e, 'avg', x, [2, 2], [2, 2], 'VALID') };
}

const CASES: readonly Case[] = [
  {
    op: 'Conv2D',
    note: '3×3 SAME',
    build: (e) => {
      const { x, w, y } = conv(e);
      return { inputs: { x, w }, target: y.node };
    },
  },
  {
    op: 'Conv2DBackpropInput',
    build: (e) => {
      const { x, w, y } = conv(e);
      const g = withGradient(e, y.node, y.shape, { x, w });
      return { inputs: g.inputs, target: nodeOf(g.grads[0]) };
    },
  },
  {
    op: 'Conv2DBackpropFilter',
    build: (e) => {
      const { x, w, y } = conv(e);
      const g = withGradient(e, y.node, y.shape, { x, w });
      return { inputs: g.inputs, target: nodeOf(g.grads[1]) };
    },
  },
  {
    op: 'DepthwiseConv2dNative',
    note: '3×3 SAME',
    build: (e) => {
      const { x, w, y } = dw(e);
      return { inputs: { x, w }, target: y.node };
    },
  },
  {
    op: 'DepthwiseConv2dNativeBackpropInput',
    build: (e) => {
      const { x, w, y } = dw(e);
      const g = withGradient(e, y.node, y.shape, { x, w });
      return { inputs: g.inputs, target: nodeOf(g.grads[0]) };
    },
  },
  {
    op: 'DepthwiseConv2dNativeBackpropFilter',
    build: (e) => {
      const { x, w, y } = dw(e);
      const g = withGradient(e, y.node, y.shape, { x, w });
      return { inputs: g.inputs, target: nodeOf(g.grads[1]) };
    },
  },
  {
    op: 'MatMul',
    note: '[64,128]×[128,64]',
    build: (e) => {
      const a = placeholder(e, 'a', [64, 128]);
      const b = placeholder(e, 'b', [128, 64]);
      return { inputs: { a, b }, target: matMul(e, a, b).node };
    },
  },
  {
    op: 'FusedBatchNormV3',
    note: 'training, x/y low, scale/offset/stats float32',
    build: (e) => {
      const { inputs, y } = batchNorm(e, true);
      return { inputs, target: y.node };
    },
  },
  {
    op: 'FusedBatchNormV3',
    note: 'inference',
    build: (e) => {
      const { inputs, y } = batchNorm(e, false);
      return { inputs, target: y.node };
    },
  },
  {
    op: 'FusedBatchNormGradV3',
    note: 'dy/x/dx low, rest float32',
    build: (e) => {
      const { inputs, y } = batchNorm(e, true);
      const g = withGradient(e, y.node, y.shape, inputs);
      return { inputs: g.inputs, target: nodeOf(g.grads[0]) };
    },
  },
  {
    op: 'Relu',
    build: (e) => {
      const x = act(e);
      return { inputs: { x }, target: e.unary('Relu', x).node };
    },
  },
  {
    op: 'ReluGrad',
    build: (e) => {
      const x = act(e);
      const y = e.unary('Relu', x);
      const g = withGradient(e, y.node, y.shape, { x });
      return { inputs: g.inputs, target: nodeOf(g.grads[0]) };
    },
  },
  {
    op: 'MaxPool',
    note: '2×2/2',
    build: (e) => {
      const { x, y } = maxPool(e);
      return { inputs: { x }, target: y.node };
    },
  },
  {
    op: 'MaxPoolGrad',
    build: (e) => {
      const { x, y } = maxPool(e);
      const g = withGradient(e, y.node, y.shape, { x });
      return { inputs: g.inputs, target: nodeOf(g.grads[0]) };
    },
  },
  {
    op: 'AvgPool',
    note: '2×2/2',
    build: (e) => {
      const { x, y } = avgPool(e);
      return { inputs: { x }, target: y.node };
    },
  },
  {
    op: 'AvgPoolGrad',
    build: (e) => {
      const { x, y } = avgPool(e);
      const g = withGradient(e, y.node, y.shape, { x });
      return { inputs: g.inputs, target: nodeOf(g.grads[0]) };
    },
  },
  {
    op: 'BiasAdd',
    build: (e) => {
      const x = act(e);
      const b = placeholder(e, 'b', [C]);
      return { inputs: { x, b }, target: biasAdd(e, x, b).node };
    },
  },
  {
    op: 'BiasAddGrad',
    build: (e) => {
      const x = act(e);
      const b = placeholder(e, 'b', [C]);
      const y = biasAdd(e, x, b);
      const g = withGradient(e, y.node, y.shape, { x, b });
      return { inputs: g.inputs, target: nodeOf(g.grads[1]) };
    },
  },
  {
    op: 'AddV2',
    build: (e) => {
      const x = act(e);
      const y = act(e, 'y');
      return { inputs: { x, y }, target: e.add(x, y).node };
    },
  },
  {
    op: 'Mul',
    build: (e) => {
      const x = act(e);
      const y = act(e, 'y');
      return { inputs: { x, y }, target: e.mul(x, y).node };
    },
  },
  {
    op: 'AddN',
    note: '3 inputs',
    build: (e) => {
      const xs = [act(e, 'a'), act(e, 'b'), act(e, 'c')];
      return { inputs: { a: xs[0] as Sym, b: xs[1] as Sym, c: xs[2] as Sym }, target: e.addN(xs).node };
    },
  },
  {
    op: 'Sum',
    note: 'over N,H,W',
    build: (e) => {
      const x = act(e);
      return { inputs: { x }, target: e.reduce('Sum', x, [0, 1, 2]).node };
    },
  },
  {
    op: 'Mean',
    note: 'over H,W (GAP)',
    build: (e) => {
      const x = act(e);
      return { inputs: { x }, target: e.reduce('Mean', x, [1, 2]).node };
    },
  },
  {
    op: 'Pad',
    build: (e) => {
      const x = act(e);
      return {
        inputs: { x },
        target: e.pad(x, [
          [0, 0],
          [1, 1],
          [1, 1],
          [0, 0],
        ]).node,
      };
    },
  },
  {
    op: 'ConcatV2',
    build: (e) => {
      const x = act(e);
      const y = act(e, 'y');
      return { inputs: { x, y }, target: e.concat([x, y], 3).node };
    },
  },
  {
    op: 'Cast',
    note: 'float32 → low → float32 (around an Identity)',
    build: (e) => {
      const x = act(e);
      return { inputs: { x }, target: e.unary('Identity', x).node };
    },
  },
];

/** A short reason from TensorFlow's error: the op, dtype and the dtypes it has CPU kernels for. */
export function kernelReason(message: string): string {
  const missing = /No OpKernel was registered to support Op '([^']+)'[^]*?with these attrs: \[([^\]]*)\]/.exec(message);
  if (missing !== null) {
    const dtype = /\bT=(DT_\w+)/.exec(missing[2] as string)?.[1] ?? '?';
    const registered = [
      ...new Set(
        [...message.matchAll(/device='CPU'[^\n]*?T in \[([^\]]*)\]/g)].flatMap((m) => (m[1] as string).split(/,\s*/)),
      ),
    ];
    return `no CPU kernel for ${missing[1]} T=${dtype}${registered.length > 0 ? ` (CPU has T in ${registered.join(' ')})` : ''}`;
  }
  return message.replace(/\s+/g, ' ').slice(0, 200);
}

function randomInputs(inputs: Record<string, Sym>, seed: number): Record<string, Tensor> {
  const tf = loadTf();
  return Object.fromEntries(
    Object.entries(inputs).map(([name, s], i) => {
      // BatchNorm variances must be positive.
      const t =
        name === 'variance'
          ? tf.randomUniform([...s.shape], 0.5, 1.5, 'float32', seed + i)
          : tf.randomNormal([...s.shape], 0, 1, 'float32', seed + i);
      return [name, t];
    }),
  );
}

async function runOnce(bytes: Uint8Array, feeds: Record<string, Tensor>): Promise<Float32Array> {
  const tf = loadTf();
  const dir = await writeSavedModel(bytes);
  try {
    const model = await tf.node.loadSavedModel(dir, ['serve'], 'probe');
    try {
      const out = model.predict(feeds) as Record<string, Tensor>;
      const y = out.y as Tensor;
      const data = (await y.data()) as Float32Array;
      y.dispose();
      return data;
    } finally {
      model.dispose();
    }
  } finally {
    await removeSavedModel(dir);
  }
}

/** Runs every case in float32 and each low dtype. */
export async function probeKernels(dtypes: readonly LowDType[] = ['bfloat16', 'float16']): Promise<ProbeRow[]> {
  const tf = loadTf();
  const rows: ProbeRow[] = [];
  for (const [i, c] of CASES.entries()) {
    const g = new Graph();
    const e = new Emit(g);
    const { inputs, target } = c.build(e);
    const y = target.outputs[0] as Sym;
    const bytes = savedModelBytes(g, { probe: { inputs, outputs: { y } } });
    const feeds = randomInputs(inputs, 100 * i);
    const results: Partial<Record<LowDType, ProbeResult>> = {};
    try {
      const reference = await runOnce(bytes, feeds);
      const scale = reference.reduce((m, v) => Math.max(m, Math.abs(v)), 0) || 1;
      for (const dtype of dtypes) {
        const lowered = lowerPrecision(bytes, g, (n) => n === target, dtype);
        try {
          const out = await runOnce(lowered.bytes, feeds);
          let worst = 0;
          for (let k = 0; k < out.length; k++)
            worst = Math.max(worst, Math.abs((out[k] as number) - (reference[k] as number)));
          results[dtype] = Number.isFinite(worst)
            ? { ok: true, relError: worst / scale }
            : { ok: false, reason: 'runs, but returns non-finite values' };
        } catch (error) {
          results[dtype] = { ok: false, reason: kernelReason((error as Error).message) };
        }
      }
    } finally {
      tf.dispose(Object.values(feeds));
    }
    rows.push({ op: c.op, note: c.note ?? '', results: results as Record<LowDType, ProbeResult> });
  }
  return rows;
}
