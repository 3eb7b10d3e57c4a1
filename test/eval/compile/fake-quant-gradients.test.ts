// The gradient rules of TensorFlow's fake-quantization ops (src/eval/compile/gradients/quantization.ts):
// the straight-through estimator. On fixed inputs (inside the range, outside it on both sides, and
// exactly at and one float32 step beyond each nudged end), the compiled graph's gradient (the rule,
// through autodiff) is dy where min ≤ x ≤ max on the nudged grid and 0 elsewhere, the min and max
// gradients the sums of dy below and above (per channel for the per-channel op); it equals what
// TensorFlow's gradient kernel gives when called directly, bit for bit; and the forward values are
// the grid's (TensorFlow's nudging, src/eval/quantize/affine.ts).
import { afterAll, describe, expect, it } from 'vitest';
import type { Tensor } from '@tensorflow/tfjs-node';
import { loadTf } from '../../../src/backend/tf.js';
import { gradients } from '../../../src/eval/compile/autodiff.js';
import { CompiledModel } from '../../../src/eval/compile/compiled-model.js';
import { Emit } from '../../../src/eval/compile/emit.js';
import { Graph, type Attr, type Sym } from '../../../src/eval/compile/graph.js';
import { placeholder } from '../../../src/eval/compile/parts.js';
import { savedModelBytes } from '../../../src/eval/compile/saved-model.js';
import { affineParams, gridRange } from '../../../src/eval/quantize/index.js';

const tf = loadTf();
const loaded: CompiledModel[] = [];
afterAll(() => loaded.forEach((m) => m.dispose()));

type NativeBackend = {
  binding: Record<'TF_ATTR_INT' | 'TF_ATTR_BOOL' | 'TF_ATTR_FLOAT', number>;
  executeMultipleOutputs(
    name: string,
    attrs: { name: string; type: number; value: number | boolean }[],
    inputs: Tensor[],
    outputs: number,
  ): Tensor[];
};

/** The nudged [min, max] of a range on the integers [qmin, qmax] (TensorFlow's Nudge, float32). */
function nudged(min: number, max: number, narrow: boolean): [number, number] {
  return gridRange(affineParams(min, max, narrow ? 1 : 0, 255));
}

/** The values, −0 as 0 (dy·0 is −0 for a negative dy). */
const plain = (a: ArrayLike<number>) => Array.from(a, (v) => v + 0);

const below = (v: number) => v - Math.max(Math.abs(v), 1e-30) * 2 ** -23;
const above = (v: number) => v + Math.max(Math.abs(v), 1e-30) * 2 ** -23;

/** Values of one channel around its nudged range [lo, hi]: inside, at both ends, one float32 step beyond, far outside. */
function probes(lo: number, hi: number): number[] {
  return [lo - 1, below(lo), lo, lo / 2, 0, hi / 3, hi, above(hi), hi + 1].map(Math.fround);
}

/** Expected STE gradients of x laid out [rows, channels], each channel with its own nudged range. */
function expected(x: Float32Array, dy: Float32Array, ranges: readonly [number, number][]) {
  const channels = ranges.length;
  const dx = new Float32Array(x.length);
  const dmin = new Float64Array(channels);
  const dmax = new Float64Array(channels);
  x.forEach((v, i) => {
    const c = i % channels;
    const [lo, hi] = ranges[c] as [number, number];
    if (v < lo) dmin[c] = (dmin[c] as number) + (dy[i] as number);
    else if (v > hi) dmax[c] = (dmax[c] as number) + (dy[i] as number);
    else dx[i] = dy[i] as number;
  });
  return { dx, dmin, dmax };
}

type Case = {
  readonly op: string;
  readonly kernel: string;
  /** Per channel [min, max]; one for the per-tensor ops. */
  readonly ranges: readonly [number, number][];
  readonly narrow: boolean;
  /** The layout of x: its last axis is the channel axis for the per-channel op. */
  readonly shape: readonly number[];
};

const CASES: readonly Case[] = [
  {
    op: 'FakeQuantWithMinMaxArgs',
    kernel: 'FakeQuantWithMinMaxArgsGradient',
    ranges: [[-1, 2]],
    narrow: false,
    shape: [9, 1],
  },
  {
    op: 'FakeQuantWithMinMaxVars',
    kernel: 'FakeQuantWithMinMaxVarsGradient',
    ranges: [[-0.7, 3.1]],
    narrow: false,
    shape: [3, 3, 1],
  },
  {
    op: 'FakeQuantWithMinMaxVars',
    kernel: 'FakeQuantWithMinMaxVarsGradient',
    ranges: [[0, 6]],
    narrow: false,
    shape: [9, 1],
  },
  // Per channel as kernels use it (symmetric, narrow) and an asymmetric channel, rank 2 and rank 4.
  {
    op: 'FakeQuantWithMinMaxVarsPerChannel',
    kernel: 'FakeQuantWithMinMaxVarsPerChannelGradient',
    ranges: [
      [-0.25, 0.25],
      [-1.5, 1.5],
      [-0.2, 0.9],
    ],
    narrow: true,
    shape: [9, 3],
  },
  {
    op: 'FakeQuantWithMinMaxVarsPerChannel',
    kernel: 'FakeQuantWithMinMaxVarsPerChannelGradient',
    ranges: [
      [-0.25, 0.25],
      [-1.5, 1.5],
      [-0.2, 0.9],
    ],
    narrow: false,
    shape: [1, 3, 3, 3],
  },
];

/** x: each channel's probes (9 rows); dy: distinct small integers, so every sum is exact. */
function inputs(c: Case): { x: Float32Array; dy: Float32Array; ends: [number, number][] } {
  const ends = c.ranges.map(([lo, hi]) => nudged(lo, hi, c.narrow));
  const channels = c.ranges.length;
  const x = new Float32Array(9 * channels);
  for (let r = 0; r < 9; r++)
    for (let k = 0; k < channels; k++) x[r * channels + k] = probes(...(ends[k] as [number, number]))[r] as number;
  const dy = Float32Array.from(x, (_, i) => (i % 5) - 2 + 0.5 * (i % 3));
  return { x, dy, ends };
}

/** The op and its gradient by the rule, in one compiled graph: y, dx (and dmin, dmax for the Vars ops). */
async function compiledGradient(c: Case, x: Float32Array, dy: Float32Array) {
  const e = new Emit(new Graph());
  const px = placeholder(e, 'x', c.shape);
  const pdy = placeholder(e, 'dy', c.shape);
  const perChannel = c.op.endsWith('PerChannel');
  const quantizer: Record<string, Attr> = { num_bits: { i: 8 }, narrow_range: { b: c.narrow } };
  let y: Sym;
  let xs: Sym[];
  let rangeInputs: Record<string, Sym> = {};
  if (c.op === 'FakeQuantWithMinMaxArgs') {
    const [[min, max]] = c.ranges as [[number, number]];
    y = e.g.op(c.op, [px], { ...quantizer, min: { f: min }, max: { f: max } }, c.shape);
    xs = [px];
  } else {
    const rangeShape = perChannel ? [c.ranges.length] : [];
    const min = placeholder(e, 'min', rangeShape);
    const max = placeholder(e, 'max', rangeShape);
    y = e.g.op(c.op, [px, min, max], quantizer, c.shape);
    xs = [px, min, max];
    rangeInputs = { min, max };
  }
  const grads = gradients(e, y, xs, pdy);
  const outputs = Object.fromEntries([
    ['y', y],
    ...grads.map((g, i) => [['dx', 'dmin', 'dmax'][i] as string, g as Sym]),
  ]);
  const model = await CompiledModel.load({
    bytes: savedModelBytes(e.g, { grad: { inputs: { x: px, dy: pdy, ...rangeInputs }, outputs } }),
    variables: [],
    needsSeed: false,
    nodeCount: e.g.nodes.length,
    signatures: ['grad'],
  });
  loaded.push(model);
  const feed: Record<string, Tensor> = { x: tf.tensor(x, [...c.shape]), dy: tf.tensor(dy, [...c.shape]) };
  if (c.op !== 'FakeQuantWithMinMaxArgs') {
    const shape = perChannel ? [c.ranges.length] : [];
    feed.min = tf.tensor(
      c.ranges.map((r) => r[0]),
      shape,
    );
    feed.max = tf.tensor(
      c.ranges.map((r) => r[1]),
      shape,
    );
  }
  const out = model.outputs('grad', feed);
  const read = Object.fromEntries(
    Object.entries(out).map(([k, t]) => [k, Float32Array.from(t.dataSync() as Float32Array)]),
  );
  tf.dispose([...Object.values(out), ...Object.values(feed)]);
  return read;
}

/** TensorFlow's gradient kernel called directly (eagerly, through tfjs-node's backend). */
function kernelGradient(c: Case, x: Float32Array, dy: Float32Array): Float32Array[] {
  const backend = tf.backend() as unknown as NativeBackend;
  const b = backend.binding;
  const attrs = [
    { name: 'num_bits', type: b.TF_ATTR_INT, value: 8 },
    { name: 'narrow_range', type: b.TF_ATTR_BOOL, value: c.narrow },
  ];
  const tx = tf.tensor(x, [...c.shape]);
  const tdy = tf.tensor(dy, [...c.shape]);
  const perChannel = c.op.endsWith('PerChannel');
  const ranges =
    c.op === 'FakeQuantWithMinMaxArgs'
      ? []
      : [0, 1].map((i) =>
          tf.tensor(
            c.ranges.map((r) => r[i] as number),
            perChannel ? [c.ranges.length] : [],
          ),
        );
  const extra =
    c.op === 'FakeQuantWithMinMaxArgs'
      ? [
          { name: 'min', type: b.TF_ATTR_FLOAT, value: c.ranges[0]?.[0] as number },
          { name: 'max', type: b.TF_ATTR_FLOAT, value: c.ranges[0]?.[1] as number },
        ]
      : [];
  const outs = backend.executeMultipleOutputs(
    c.kernel,
    [...attrs, ...extra],
    [tdy, tx, ...ranges],
    c.op === 'FakeQuantWithMinMaxArgs' ? 1 : 3,
  );
  const read = outs.map((t) => Float32Array.from(t.dataSync() as Float32Array));
  tf.dispose([tx, tdy, ...ranges, ...outs]);
  return read;
}

describe('fake-quantization gradient rules (straight-through estimator)', () => {
  it.each(CASES.map((c) => [`${c.op}${c.narrow ? ', narrow' : ''}, x [${c.shape.join(', ')}]`, c] as const))(
    '%s',
    async (_label, c) => {
      const before = tf.memory().numTensors;
      const { x, dy, ends } = inputs(c);
      const got = await compiledGradient(c, x, dy);
      const want = expected(x, dy, ends);
      expect(plain(got.dx as Float32Array)).toEqual(plain(want.dx));
      // Two probes of each channel lie below its nudged range and two above, so the mask is not vacuous.
      const outside = Array.from(x).filter(
        (v, i) =>
          v < (ends[i % c.ranges.length] as [number, number])[0] ||
          v > (ends[i % c.ranges.length] as [number, number])[1],
      );
      expect(outside.length).toBe(4 * c.ranges.length);
      const kernel = kernelGradient(c, x, dy);
      expect(plain(got.dx as Float32Array)).toEqual(plain(kernel[0] as Float32Array));
      if (c.op !== 'FakeQuantWithMinMaxArgs') {
        expect(plain(got.dmin as Float32Array)).toEqual(plain(want.dmin));
        expect(plain(got.dmax as Float32Array)).toEqual(plain(want.dmax));
        expect(plain(got.dmin as Float32Array)).toEqual(plain(kernel[1] as Float32Array));
        expect(plain(got.dmax as Float32Array)).toEqual(plain(kernel[2] as Float32Array));
      }
      // The forward values: clamped to the nudged ends, on the grid inside.
      const y = got.y as Float32Array;
      x.forEach((v, i) => {
        const [lo, hi] = ends[i % c.ranges.length] as [number, number];
        const p = affineParams(
          c.ranges[i % c.ranges.length]?.[0] as number,
          c.ranges[i % c.ranges.length]?.[1] as number,
          c.narrow ? 1 : 0,
          255,
        );
        const clamped = Math.min(hi, Math.max(lo, v));
        expect(Math.abs((y[i] as number) - clamped)).toBeLessThanOrEqual(p.scale / 2 + 1e-6);
        const steps = ((y[i] as number) - lo) / p.scale;
        expect(Math.abs(steps - Math.round(steps))).toBeLessThan(1e-3);
      });
      expect(tf.memory().numTensors).toBe(before);
    },
  );
});
