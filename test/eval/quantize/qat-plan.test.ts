// The QAT plan (src/eval/quantize/qat-plan.ts) names, in the unfolded training network, the very
// activations the full-integer network quantizes: on one sampled network of the macro space (inverted
// residuals as block parts, BNs folding into convs, SE) and one of the layer-wise space (separable
// convs, which are split, BNs that do not fold), its points are the activation plan's of the prepared
// network, and in float inference each site's tensor in the unfolded network equals the prepared
// network's activation at its point (within 1e-4·max(1, |y|), fold.test.ts's bound); a depthwise site
// is a separable conv whose prepared depthwise half reads what the separable conv reads.
import { drawnStatistics, quantizeSamples } from './samples.js';
import { afterAll, describe, expect, it } from 'vitest';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-node';
import { INPUT_ID } from '../../../src/core/arch.js';
import { Rng } from '../../../src/core/rng.js';
import { loadTf } from '../../../src/backend/tf.js';
import { buildModel } from '../../../src/eval/build/build-model.js';
import { CompiledModel } from '../../../src/eval/compile/compiled-model.js';
import { compileInference } from '../../../src/eval/compile/quantized.js';
import {
  activationPlan,
  networkConstants,
  prepareForQuantization,
  qatPlan,
  quantizedKernels,
} from '../../../src/eval/quantize/index.js';
import { modelWeights, type WeightArray } from '../../../src/eval/weights.js';
import type { ResolvedArch } from '../../../src/space/index.js';

const tf = loadTf();
const loaded: CompiledModel[] = [];
afterAll(() => loaded.forEach((m) => m.dispose()));

const SAMPLES = quantizeSamples('qat plan', [12, 12, 3]);

/** The builder's weights with BN statistics, γ, β and biases drawn, so that folding changes values. */
function weightsOf(arch: ResolvedArch): Map<string, WeightArray> {
  const model = buildModel(arch, { seed: 5 });
  try {
    return drawnStatistics(modelWeights(model), new Rng('qat plan').derive('weights'), {
      bias: 0.1,
      beta: 0.2,
      mean: 0.2,
    });
  } finally {
    model.dispose();
  }
}

/** Every activation of a float inference graph on `x`, by node id (and INPUT_ID). */
async function floatActivations(
  arch: ResolvedArch,
  weights: ReadonlyMap<string, WeightArray>,
  x: Tensor4D,
): Promise<Map<string, Float32Array>> {
  const graph = compileInference(arch, networkConstants(arch, weights, 'float').weights);
  const model = await CompiledModel.load(graph);
  loaded.push(model);
  const out = model.outputs('activations', { x });
  try {
    return new Map(
      [...graph.activationKeys].map(([id, key]) => [
        id,
        Float32Array.from((out[key] as Tensor).dataSync() as Float32Array),
      ]),
    );
  } finally {
    tf.dispose(Object.values(out));
  }
}

describe('the QAT plan', () => {
  it.each(SAMPLES)(
    "%s: the prepared network's quantized activations, found in the training network",
    async (name, arch) => {
      const plan = qatPlan(arch);
      const weights = weightsOf(arch);
      const net = prepareForQuantization(arch, weights);
      expect(plan.activations.map((a) => a.point)).toEqual(activationPlan(net.arch).points);
      expect(plan.kernels.size).toBe(quantizedKernels(net.arch).size);
      // Not the identity: folded BNs and renamed block parts put a point elsewhere in the training network.
      expect(
        plan.activations.filter(({ point, site }) => site.kind === 'node' && site.id !== point).length,
      ).toBeGreaterThan(5);

      const x = tf.randomNormal(
        [2, ...arch.inputShape] as [number, number, number, number],
        0,
        1,
        'float32',
        3,
      ) as Tensor4D;
      try {
        const training = await floatActivations(arch, weights, x);
        const prepared = await floatActivations(net.arch, net.weights, x);
        let compared = 0;
        for (const { point, site } of plan.activations) {
          if (site.kind === 'depthwise') {
            const separable = arch.nodes.find((n) => n.id === site.id)?.node;
            expect(separable?.op).toBe('sepconv');
            const half = net.arch.nodes.find((n) => n.id === point)?.node;
            expect(half?.op).toBe('dwconv');
            continue;
          }
          const got = training.get(site.kind === 'input' ? INPUT_ID : site.id) as Float32Array;
          const want = prepared.get(point) as Float32Array;
          expect(got.length, point).toBe(want.length);
          const worst = got.reduce(
            (m, v, i) => Math.max(m, Math.abs(v - (want[i] as number)) / Math.max(1, Math.abs(want[i] as number))),
            0,
          );
          expect(worst, point).toBeLessThanOrEqual(1e-4);
          compared++;
        }
        expect(compared).toBeGreaterThan(plan.activations.length / 2);
        if (name === 'layerwise')
          expect(plan.activations.filter((a) => a.site.kind === 'depthwise').length).toBeGreaterThanOrEqual(2);
      } finally {
        x.dispose();
      }
    },
  );
});
