// Quantized inference graphs (src/eval/compile/quantized.ts, src/eval/quantize/network.ts) on the
// native backend, against bounds derived from the weight error and against an independent JS
// reference of the full-integer network. Bounds and measured figures are stated at each test.
import { drawnStatistics } from './samples.js';
import { afterAll, describe, expect, it } from 'vitest';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-node';
import { INPUT_ID, type Json } from '../../../src/core/arch.js';
import { Rng } from '../../../src/core/rng.js';
import { loadTf } from '../../../src/backend/tf.js';
import { buildModel } from '../../../src/eval/build/build-model.js';
import { CompiledModel } from '../../../src/eval/compile/compiled-model.js';
import { compileInference, type InferenceGraph } from '../../../src/eval/compile/quantized.js';
import {
  activationPlan,
  affineParams,
  calibrate,
  dequantizePerChannel,
  fakeQuantize,
  MinMaxObserver,
  networkConstants,
  quantizeBias,
  quantizePerChannel,
  type AffineParams,
  type PreparedNetwork,
  type QuantizationMode,
  type Range,
} from '../../../src/eval/quantize/index.js';
import { modelWeights, type WeightArray } from '../../../src/eval/weights.js';
import { assertArch, type ResolvedArch } from '../../../src/space/index.js';
import { add, clip, conv2d, dense, globalAverage, maxPool2, type Activation, type Computed } from './reference.js';

const tf = loadTf();

/** A network's weights with non-trivial biases and BN statistics (the builder's are zero / identity). */
function trainedLike(arch: ResolvedArch, seed: number): Map<string, WeightArray> {
  const model = buildModel(arch, { seed });
  try {
    return drawnStatistics(modelWeights(model), new Rng(seed).derive('weights'), { bias: 0.3, beta: 0.3, mean: 0.3 });
  } finally {
    model.dispose();
  }
}

type Loaded = { readonly model: CompiledModel; readonly graph: InferenceGraph };
const loaded: CompiledModel[] = [];
afterAll(() => loaded.forEach((m) => m.dispose()));

async function load(
  net: PreparedNetwork,
  mode: QuantizationMode,
  ranges?: ReadonlyMap<string, Range>,
): Promise<Loaded> {
  const constants = networkConstants(net.arch, net.weights, mode, ranges);
  const graph = compileInference(net.arch, constants.weights, constants.fakeQuant);
  const model = await CompiledModel.load(graph);
  loaded.push(model);
  return { model, graph };
}

/** Every activation of a batch by node id (and INPUT_ID). */
function activations({ model, graph }: Loaded, x: Tensor4D): Map<string, Float32Array> {
  const out = model.outputs('activations', { x });
  try {
    return new Map([...graph.activationKeys].map(([id, key]) => [id, (out[key] as Tensor).dataSync() as Float32Array]));
  } finally {
    tf.dispose(Object.values(out));
  }
}

function predict(model: CompiledModel, x: Tensor4D): Float32Array {
  const y = model.predict(x);
  try {
    return y.dataSync() as Float32Array;
  } finally {
    y.dispose();
  }
}

describe('dynamic range: one layer, |y_dyn − y_float| ≤ Σ|x|·|w − ŵ| (≤ Σ|x|·s_c/2), elementwise', () => {
  // The difference is exactly conv(x, ŵ − w) in real arithmetic; float32 rounding of both outputs
  // adds up to ~K·2⁻²⁴·Σ|x·w| (K terms), allowed as 1e-5·Σ|x|·|w|.
  const cases: [string, Json[], number[], (x: Tensor4D | Tensor, k: Tensor) => Tensor][] = [
    [
      'conv 3×3, 6 filters',
      [{ id: 'c', op: 'conv', inputs: ['input'], filters: 6, kernel: 3, padding: 'same' }],
      [7, 7, 5],
      (x, k) => tf.conv2d(x as Tensor4D, k as never, 1, 'same'),
    ],
    [
      'dwconv 3×3, multiplier 2',
      [{ id: 'c', op: 'dwconv', inputs: ['input'], kernel: 3, multiplier: 2, padding: 'same' }],
      [7, 7, 5],
      (x, k) => tf.depthwiseConv2d(x as Tensor4D, tf.reshape(k, [3, 3, 5, 2]) as never, 1, 'same'),
    ],
    [
      'dense 40 → 9',
      [{ id: 'c', op: 'dense', inputs: ['input'], units: 9 }],
      [40],
      (x, k) => tf.matMul(x as never, k as never),
    ],
  ];

  it.each(cases)('%s', async (_, nodes, inputShape, linear) => {
    const spec = inputShape.length === 3 ? [...nodes, { id: 'flat', op: 'flatten', inputs: ['c'] }] : nodes;
    const arch = assertArch(
      { version: 1, nodes: spec as never, output: inputShape.length === 3 ? 'flat' : 'c' },
      { inputShape },
    );
    const weights = trainedLike(arch, 5);
    const net: PreparedNetwork = { arch, weights, foldedBatchNorms: 0 };
    const x = tf.randomNormal([4, ...inputShape] as [number, number, number, number], 0, 1, 'float32', 9) as Tensor4D;
    const [float, dynamic] = [await load(net, 'float'), await load(net, 'dynamic')];
    const yf = predict(float.model, x);
    const yd = predict(dynamic.model, x);
    const kernel = weights.get('c/kernel') as WeightArray;
    const deq = dequantizePerChannel(quantizePerChannel(kernel.data, kernel.shape));
    const bounds = tf.tidy(() => {
      const k = tf.tensor(kernel.data, [...kernel.shape]);
      const dk = tf.abs(tf.sub(tf.tensor(deq, [...kernel.shape]), k));
      return [linear(tf.abs(x), dk), linear(tf.abs(x), tf.abs(k))].map((t) => t.dataSync());
    });
    const [bound, magnitude] = bounds as [Float32Array, Float32Array];
    let worst = 0;
    let changed = 0;
    yf.forEach((v, i) => {
      const d = Math.abs(v - (yd[i] as number));
      expect(d).toBeLessThanOrEqual((bound[i] as number) + 1e-5 * (magnitude[i] as number) + 1e-6);
      worst = Math.max(worst, d / Math.max(bound[i] as number, 1e-12));
      if (d > 0) changed++;
    });
    // Not vacuous: the weights did change the outputs, by up to a sizeable fraction of the bound.
    expect(changed).toBeGreaterThan(yf.length / 2);
    expect(worst).toBeGreaterThan(0.05);
    x.dispose();
  });
});

// Full integer against the JS reference. The network covers a fused ReLU and ReLU6, a max pool on
// its input's grid, a depthwise conv, an add of two grids, a global average and a dense layer:
//   input → c1 conv3×3 → r1 relu → p1 maxpool → d1 dwconv3×3 → r2 relu6 → c2 conv1×1 → a1 add(c2, p1) → g gap → fc dense
const SMALL = assertArch(
  {
    version: 1,
    nodes: [
      { id: 'c1', op: 'conv', inputs: ['input'], filters: 6, kernel: 3, padding: 'same' },
      { id: 'r1', op: 'act', fn: 'relu', inputs: ['c1'] },
      { id: 'p1', op: 'maxpool', inputs: ['r1'], kernel: 2, stride: 2 },
      { id: 'd1', op: 'dwconv', inputs: ['p1'], kernel: 3, padding: 'same' },
      { id: 'r2', op: 'act', fn: 'relu6', inputs: ['d1'] },
      { id: 'c2', op: 'conv', inputs: ['r2'], filters: 6, kernel: 1 },
      { id: 'a1', op: 'add', inputs: ['c2', 'p1'] },
      { id: 'g', op: 'gap', inputs: ['a1'] },
      { id: 'fc', op: 'dense', inputs: ['g'], units: 'classes' },
    ],
    output: 'fc',
  },
  { inputShape: [8, 8, 3], classes: 4 },
);

/** Which grid feeds each layer with a bias, and the quantized points, as an int8 runtime has them. */
const INPUT_GRID: Record<string, string> = { c1: INPUT_ID, d1: 'r1', c2: 'r2', fc: 'g' };
const POINTS = [INPUT_ID, 'r1', 'r2', 'c2', 'a1', 'g', 'fc'];

describe('full integer (simulated) against an independent JS reference', () => {
  const N = 6;
  const ties = { count: 0, elements: 0 };

  it('plan, calibration ranges, and every activation equal to the reference up to float rounding', async () => {
    const weights = trainedLike(SMALL, 21);
    const net: PreparedNetwork = { arch: SMALL, weights, foldedBatchNorms: 0 };
    const plan = activationPlan(SMALL);
    expect(plan.points).toEqual(POINTS);
    expect(
      Object.fromEntries(
        [...plan.roles].map(([id, r]) => [id, r.kind === 'same-grid' ? `same-grid ${r.grid}` : r.kind]),
      ),
    ).toEqual({
      c1: 'fused',
      r1: 'quantized',
      p1: 'same-grid r1',
      d1: 'fused',
      r2: 'quantized',
      c2: 'quantized',
      a1: 'quantized',
      g: 'quantized',
      fc: 'quantized',
    });
    const x = tf.randomNormal([N, 8, 8, 3], 0.2, 1.3, 'float32', 4) as Tensor4D;
    const float = await load(net, 'float');
    const ranges = calibrate(float.model, float.graph, plan.points, [x], () => new MinMaxObserver());
    const full = await load(net, 'full-integer', ranges);
    const got = activations(full, x);
    const floats = activations(float, x);
    const params = new Map(
      POINTS.map((p) => [p, affineParams((ranges.get(p) as Range).min, (ranges.get(p) as Range).max)]),
    );

    // The reference's constants, from the library's tested tensor math (affine.test.ts, per-channel.test.ts).
    const layer = (id: string) => {
      const k = weights.get(`${id}/kernel`) as WeightArray;
      const q = quantizePerChannel(k.data, k.shape);
      const scale = (params.get(INPUT_GRID[id] as string) as AffineParams).scale;
      const b = quantizeBias((weights.get(`${id}/bias`) as WeightArray).data, scale, q.scales);
      return {
        kernel: dequantizePerChannel(q),
        shape: k.shape,
        bias: Float32Array.from(b.q, (v, c) => v * (b.scales[c] as number)),
      };
    };
    const L = { c1: layer('c1'), d1: layer('d1'), c2: layer('c2'), fc: layer('fc') };
    const shapes: Record<string, number[]> = {
      [INPUT_ID]: [8, 8, 3],
      c1: [8, 8, 6],
      r1: [8, 8, 6],
      p1: [4, 4, 6],
      d1: [4, 4, 6],
      r2: [4, 4, 6],
      c2: [4, 4, 6],
      a1: [4, 4, 6],
      g: [6],
      fc: [4],
    };
    const image = (values: Map<string, Float32Array>, id: string, n: number): Activation => {
      const shape = shapes[id] as number[];
      const size = shape.reduce((p, d) => p * d, 1);
      return { shape, data: Float64Array.from((values.get(id) as Float32Array).subarray(n * size, (n + 1) * size)) };
    };
    const ops: Record<string, (input: (id: string) => Activation) => Computed> = {
      c1: (a) => conv2d(a(INPUT_ID), L.c1.kernel, L.c1.shape, L.c1.bias),
      r1: (a) => clip({ ...a('c1'), magnitude: a('c1').data.map(Math.abs) }, 0, Infinity),
      p1: (a) => maxPool2(a('r1')),
      d1: (a) => conv2d(a('p1'), L.d1.kernel, [3, 3, 1, 6], L.d1.bias, 6),
      r2: (a) => clip({ ...a('d1'), magnitude: a('d1').data.map(Math.abs) }, 0, 6),
      c2: (a) => conv2d(a('r2'), L.c2.kernel, L.c2.shape, L.c2.bias),
      a1: (a) => add(a('c2'), a('p1')),
      g: (a) => globalAverage(a('a1')),
      fc: (a) => dense(a('g'), L.fc.kernel, 4, L.fc.bias),
    };

    for (let n = 0; n < N; n++) {
      // Each node from the graph's own inputs: any difference is this node's, not carried from earlier.
      const fromGraph = (id: string) => image(got, id, n);
      expectQuantized(
        image(got, INPUT_ID, n).data,
        { shape: [], data: image(floats, INPUT_ID, n).data, magnitude: image(floats, INPUT_ID, n).data.map(Math.abs) },
        params.get(INPUT_ID) as AffineParams,
        ties,
      );
      for (const id of Object.keys(ops)) {
        const ref = (ops[id] as (a: (id: string) => Activation) => Computed)(fromGraph);
        const graph = image(got, id, n).data;
        const p = params.get(id);
        if (p !== undefined) expectQuantized(graph, ref, p, ties);
        else
          graph.forEach((v, i) =>
            expect(Math.abs(v - (ref.data[i] as number))).toBeLessThanOrEqual(
              1e-5 * (ref.magnitude[i] as number) + 1e-7,
            ),
          );
      }
      // And the whole network in JS from the image alone: the logits agree too (no tie upstream here).
      const own = new Map<string, Activation>([
        [
          INPUT_ID,
          {
            shape: [8, 8, 3],
            data: Float64Array.from(
              fakeQuantize(image(floats, INPUT_ID, n).data, params.get(INPUT_ID) as AffineParams),
            ),
          },
        ],
      ]);
      for (const id of Object.keys(ops)) {
        const ref = (ops[id] as (a: (id: string) => Activation) => Computed)((r) => own.get(r) as Activation);
        const p = params.get(id);
        own.set(id, p === undefined ? ref : { shape: ref.shape, data: Float64Array.from(fakeQuantize(ref.data, p)) });
        if (id === 'fc') expectQuantized(image(got, 'fc', n).data, ref, p as AffineParams, { count: 0, elements: 0 });
      }
    }
    // Calibration saw exactly the float network's extremes (min/max over the batch).
    for (const p of POINTS) {
      const values = floats.get(p) as Float32Array;
      const r = ranges.get(p) as Range;
      expect(r.min).toBe(Math.min(...values));
      expect(r.max).toBe(Math.max(...values));
    }
    // Rounding ties (a value within float rounding of a rounding boundary may go either way): rare.
    expect(ties.count).toBeLessThanOrEqual(ties.elements * 1e-3);
    console.log(`full-integer vs JS reference: ${ties.elements} quantized elements, ${ties.count} rounding ties`);
    x.dispose();
  });
});

/**
 * The graph's fake-quantized values against FQ(reference): equal within float32 rounding (2⁻²² of
 * the larger of the value and the step), or one step apart where the reference's pre-quantization
 * value lies within its float rounding (1e-5·Σ|terms|) of a rounding boundary.
 */
function expectQuantized(
  graph: ArrayLike<number>,
  ref: Computed,
  p: AffineParams,
  ties: { count: number; elements: number },
): void {
  const expected = fakeQuantize(ref.data, p);
  for (let i = 0; i < graph.length; i++) {
    const g = graph[i] as number;
    const e = expected[i] as number;
    ties.elements++;
    if (Math.abs(g - e) <= 2 ** -22 * Math.max(Math.abs(e), p.scale)) continue;
    const pre = ref.data[i] as number;
    const t = pre / p.scale;
    const fromBoundary = Math.abs(t - Math.floor(t) - 0.5) * p.scale;
    expect(Math.abs(Math.abs(g - e) - p.scale), `element ${i}: graph ${g}, reference ${e}`).toBeLessThanOrEqual(
      1e-5 * p.scale,
    );
    expect(fromBoundary, `element ${i}: graph ${g}, reference ${e} from ${pre}`).toBeLessThanOrEqual(
      1e-5 * (ref.magnitude[i] as number) + 1e-7,
    );
    ties.count++;
  }
}
