// The three forms on one sampled network of each of two spaces (macro: inverted residuals,
// depthwise convs, SE; layer-wise: separable convs, which are split, concat merges and factorized
// reductions whose BN does not fold), with weights, biases and BN statistics drawn at random:
// - float (BN folded, constants) equals the eager model within 1e-4·max(1, |y|) (fold.test.ts's bound);
// - dynamic range and full integer stay within bounds from the weight and activation error (below)
//   and pick the same class on (nearly) every image;
// - full integer holds every 8-bit activation exactly on its grid: v/s + z is an integer in [0, 255]
//   (within 1e-3, float rounding), the same-grid ones on their source's grid.
import { drawnStatistics, quantizeSamples } from './samples.js';
import { afterAll, describe, expect, it } from 'vitest';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-node';
import { Rng } from '../../../src/core/rng.js';
import { loadTf } from '../../../src/backend/tf.js';
import { buildModel } from '../../../src/eval/build/build-model.js';
import { CompiledModel } from '../../../src/eval/compile/compiled-model.js';
import { compileInference, type InferenceGraph } from '../../../src/eval/compile/quantized.js';
import {
  activationPlan,
  affineParams,
  calibrate,
  MinMaxObserver,
  networkConstants,
  prepareForQuantization,
  quantizedKernels,
  type QuantizationMode,
  type Range,
} from '../../../src/eval/quantize/index.js';
import { modelWeights, setModelWeights, type WeightArray } from '../../../src/eval/weights.js';

const tf = loadTf();

/**
 * Largest logit error allowed, relative to the largest |logit| of the batch. Each int8 kernel is off
 * by at most half a step, s_c/2 = max|w_c|/254 (0.39 % of the channel's largest weight); to first
 * order the errors of the L quantized layers add, each scaled by how the rest of the network carries
 * it. Measured: dynamic 2.0e-3 (macro, 29 int8 kernels) and 9.3e-3 (layer-wise, 22), so 5e-2 is
 * 13 half-steps and leaves ≥ 5× margin. Full integer adds each activation's rounding, at most half
 * a step of its range/255 (0.2 % of the range): measured 6.0e-3 and 2.5e-2, allowed 1e-1 (4×).
 */
const DYNAMIC_BOUND = 5e-2;
const FULL_BOUND = 1e-1;
const loaded: CompiledModel[] = [];
afterAll(() => loaded.forEach((m) => m.dispose()));

const SAMPLES = quantizeSamples('quantize', [16, 16, 3]);

const randomised = (weights: ReadonlyMap<string, WeightArray>, seed: number) =>
  drawnStatistics(weights, new Rng(seed).derive('weights'), { bias: 0.1, beta: 0.2, mean: 0.2 });

function run(model: CompiledModel, x: Tensor4D): Float32Array {
  const y = model.predict(x);
  try {
    return y.dataSync() as Float32Array;
  } finally {
    y.dispose();
  }
}

describe('quantized forms of sampled networks', () => {
  it.each(SAMPLES)('%s', async (name, arch) => {
    const model = buildModel(arch, { seed: 2 });
    const weights = randomised(modelWeights(model), 2);
    setModelWeights(model, weights);
    const x = tf.randomNormal([16, 16, 16, 3], 0, 1, 'float32', 8) as Tensor4D;
    const eager = tf.tidy(() => (model.predict(x) as Tensor).dataSync() as Float32Array);
    model.dispose();
    const net = prepareForQuantization(arch, weights);
    const load = async (mode: QuantizationMode, ranges?: ReadonlyMap<string, Range>) => {
      const c = networkConstants(net.arch, net.weights, mode, ranges);
      const graph = compileInference(net.arch, c.weights, c.fakeQuant);
      const m = await CompiledModel.load(graph);
      loaded.push(m);
      return { model: m, graph, constants: c };
    };
    const float = await load('float');
    const plan = activationPlan(net.arch);
    const ranges = calibrate(float.model, float.graph, plan.points, [x], () => new MinMaxObserver());
    const dynamic = await load('dynamic');
    const full = await load('full-integer', ranges);
    const [yf, yd, yq] = [float, dynamic, full].map((f) => run(f.model, x)) as [
      Float32Array,
      Float32Array,
      Float32Array,
    ];
    const scale = Math.max(...Array.from(yf, Math.abs));
    const rel = (a: Float32Array) => Math.max(...Array.from(a, (v, i) => Math.abs(v - (yf[i] as number)))) / scale;
    eager.forEach((v, i) =>
      expect(Math.abs(v - (yf[i] as number))).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(v))),
    );
    const agree = (a: Float32Array) => {
      let same = 0;
      for (let n = 0; n < 16; n++) {
        const row = (y: Float32Array) => Array.from(y.subarray(n * 10, n * 10 + 10));
        const arg = (r: number[]) => r.indexOf(Math.max(...r));
        if (arg(row(a)) === arg(row(yf))) same++;
      }
      return same / 16;
    };
    const split = net.arch.nodes.filter((n) => n.id.endsWith('_depthwise')).length;
    console.log(
      `${name}: ${net.arch.nodes.length} nodes (${split} sepconv split), ${net.foldedBatchNorms} BN folded, ${quantizedKernels(net.arch).size} int8 kernels, ${plan.points.length} quantized activations; max |logit| ${scale.toFixed(3)}; relative logit error dynamic ${rel(yd).toExponential(2)}, full ${rel(yq).toExponential(2)}; argmax agreement dynamic ${agree(yd)}, full ${agree(yq)}`,
    );
    expect(rel(yd)).toBeLessThanOrEqual(DYNAMIC_BOUND);
    expect(rel(yq)).toBeLessThanOrEqual(FULL_BOUND);
    expect(agree(yd)).toBeGreaterThanOrEqual(15 / 16);
    expect(agree(yq)).toBeGreaterThanOrEqual(14 / 16);
    if (name === 'layerwise') expect(split).toBeGreaterThan(0);
    onGrid(full.graph, full.model, x, plan, ranges);
    x.dispose();
  });
});

/** Every quantized activation and every same-grid one lies on its grid: the largest distance of v/s + z from an integer. */
function onGrid(
  graph: InferenceGraph,
  model: CompiledModel,
  x: Tensor4D,
  plan: ReturnType<typeof activationPlan>,
  ranges: ReadonlyMap<string, Range>,
): void {
  const out = model.outputs('activations', { x });
  try {
    let checked = 0;
    for (const [id, key] of graph.activationKeys) {
      const grid = plan.gridOf(id);
      if (grid === undefined) continue;
      const r = ranges.get(grid) as Range;
      const p = affineParams(r.min, r.max);
      const values = (out[key] as Tensor).dataSync();
      let off = 0;
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of values) {
        const t = v / p.scale + p.zeroPoint;
        off = Math.max(off, Math.abs(t - Math.round(t)));
        lo = Math.min(lo, Math.round(t));
        hi = Math.max(hi, Math.round(t));
      }
      expect(off, `${id} (grid of ${grid})`).toBeLessThanOrEqual(1e-3);
      expect(lo).toBeGreaterThanOrEqual(0);
      expect(hi).toBeLessThanOrEqual(255);
      checked++;
    }
    expect(checked).toBeGreaterThan(plan.points.length - 1);
  } finally {
    tf.dispose(Object.values(out));
  }
}
