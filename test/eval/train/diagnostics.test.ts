import type { Tensor } from '@tensorflow/tfjs-node';
import { describe, expect, it } from 'vitest';
import type { ArchNode } from '../../../src/core/arch.js';
import { loadTf } from '../../../src/backend/tf.js';
import { assertArch } from '../../../src/space/index.js';
import { fromEdgeOps } from '../../../src/space/spaces/nb201/conversions.js';
import { nb201Network } from '../../../src/space/spaces/nb201/network.js';
import { buildModel, layerNames } from '../../../src/eval/build/build-model.js';
import { activationFigures, DiagnosticsRecorder, PROBE_FIGURES } from '../../../src/eval/train/diagnostics.js';
import { resolveTrainConfig } from '../../../src/eval/train/index.js';
import { histogram } from '../../../src/eval/train/histogram.js';
import { modelProbePoints, probePoints } from '../../../src/eval/train/probes.js';
import { Rng } from '../../../src/core/rng.js';

const tf = loadTf();

describe('activation figures (design part 6.2)', () => {
  it('measures every probe like a hand computation (a BatchNorm on (y − β) / γ), and leaves the model whole', () => {
    const nodes: ArchNode[] = [
      { id: 'conv', op: 'conv', inputs: ['input'], filters: 6, kernel: 3, padding: 'same' },
      { id: 'bn', op: 'bn', inputs: ['conv'] },
      { id: 'relu', op: 'act', fn: 'relu', inputs: ['bn'] },
      { id: 'gap', op: 'gap', inputs: ['relu'] },
      { id: 'logits', op: 'dense', units: 'classes', inputs: ['gap'] },
    ];
    const arch = assertArch({ version: 1, nodes, output: 'logits' }, { inputShape: [5, 5, 2], classes: 3 });
    const model = buildModel(arch, { seed: 4 });
    // Kill two channels: BN's beta −100 puts them far below zero, so the ReLU outputs 0 there; γ 2 on the others.
    const [, , mean, variance] = model.getLayer('bn').getWeights() as Tensor[];
    const gamma = tf.tensor1d([1, 1, 2, 2, 2, 2]);
    const beta = tf.tensor1d([-100, -100, 0.5, 0, 0, 0]);
    model.getLayer('bn').setWeights([gamma, beta, mean as Tensor, variance as Tensor]);
    const rng = new Rng(1);
    const x = tf.tensor4d(
      Float32Array.from({ length: 8 * 5 * 5 * 2 }, () => rng.normal()),
      [8, 5, 5, 2],
    );
    try {
      const probes = probePoints(arch, layerNames(arch).byNode);
      expect(probes).toEqual([
        { node: 'bn', layer: 'bn', kind: 'bn' },
        { node: 'relu', layer: 'relu', kind: 'relu' },
      ]);
      expect(modelProbePoints(model)).toEqual(probes);
      const before = tf.memory().numTensors;
      expect(activationFigures(model, probes, x, false).values).toBeUndefined();
      const { figures, values } = activationFigures(model, probes, x, true);
      expect(tf.memory().numTensors).toBe(before);
      expect(figures).toHaveLength(2 * PROBE_FIGURES);
      const outputs = model.execute(
        x,
        ['bn', 'relu'].map((l) => (model.getLayer(l).output as { name: string }).name),
      ) as Tensor[];
      const [bnOut, reluOut] = outputs.map((t) => Array.from(t.dataSync()));
      tf.dispose([...outputs, gamma, beta]);
      // With values, each probe's whole output on the batch (the epoch's activation histograms).
      expect(values?.map((v) => Array.from(v))).toEqual([bnOut, reluOut]);
      const g = [1, 1, 2, 2, 2, 2];
      const b = [-100, -100, 0.5, 0, 0, 0];
      const expected = (values: number[], affine: boolean) => {
        const m = values.reduce((s, v) => s + v, 0) / values.length;
        const std = Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / values.length);
        const channels = [0, 1, 2, 3, 4, 5].map((c) =>
          values.filter((_, i) => i % 6 === c).map((v) => (affine ? (v - (b[c] as number)) / (g[c] as number) : v)),
        );
        const cm = channels.map((v) => v.reduce((s, x) => s + x, 0) / v.length);
        const cs = channels.map((v, c) =>
          Math.sqrt(v.reduce((s, x) => s + (x - (cm[c] as number)) ** 2, 0) / v.length),
        );
        const dead = channels.filter((_, c) => values.every((v, i) => i % 6 !== c || v === 0)).length / 6;
        return [
          m,
          std,
          values.filter((v) => v === 0).length / values.length,
          dead,
          cm.reduce((s, v) => s + Math.abs(v), 0) / 6,
          cs.reduce((s, v) => s + v, 0) / 6,
        ];
      };
      const want = [...expected(bnOut as number[], true), ...expected(reluOut as number[], false)];
      want.forEach((w, i) => expect(figures[i]).toBeCloseTo(w, 4));
      expect(figures[PROBE_FIGURES + 3]).toBeCloseTo(2 / 6, 6);
      const out = model.predict(x) as Tensor;
      expect(out.shape).toEqual([8, 3]);
      out.dispose();
    } finally {
      x.dispose();
      model.dispose();
    }
  });
});

describe('probe points', () => {
  it("probes a block's output (under the block's id) as a block, and its inner ReLUs and BatchNorms", () => {
    const nodes: ArchNode[] = [
      { id: 'stem', op: 'conv', inputs: ['input'], filters: 4, kernel: 3, padding: 'same' },
      { id: 'res', op: 'basic', inputs: ['stem'], filters: 4 },
      { id: 'gap', op: 'gap', inputs: ['res'] },
      { id: 'logits', op: 'dense', units: 'classes', inputs: ['gap'] },
    ];
    const arch = assertArch({ version: 1, nodes, output: 'logits' }, { inputShape: [6, 6, 1], classes: 2 });
    expect(probePoints(arch, layerNames(arch).byNode).map((p) => [p.node, p.layer, p.kind])).toEqual([
      ['res/bn1', 'res_bn1', 'bn'],
      ['res/relu1', 'res_relu1', 'relu'],
      ['res/bn2', 'res_bn2', 'bn'],
      ['res', 'res', 'block'],
    ]);
  });

  it("probes an NB201 cell's merges as blocks", () => {
    const arch = assertArch(
      nb201Network(
        fromEdgeOps(['nor_conv_3x3', 'nor_conv_3x3', 'skip_connect', 'avg_pool_3x3', 'nor_conv_1x1', 'nor_conv_3x3']),
        { cells: 1, channels: 4 },
      ),
      { inputShape: [8, 8, 1], classes: 2 },
    );
    const blocks = probePoints(arch, layerNames(arch).byNode)
      .filter((p) => p.kind === 'block')
      .map((p) => p.node);
    expect(blocks).toContain('stage0.cell0.node3');
    expect(blocks).toContain('reduce1');
  });
});

describe('histograms', () => {
  it('bins equal-width over [min, max], the maximum in the last bin, leaving out what is not finite', () => {
    expect(histogram([Float32Array.from([0, 1, 2]), [3, 4, Number.NaN]], 4)).toEqual({
      min: 0,
      max: 4,
      counts: [1, 1, 1, 2],
    });
    expect(histogram([[2, 2]], 3)).toEqual({ min: 2, max: 2, counts: [2, 0, 0] });
  });
});

describe('the recorder', () => {
  it('groups weights by layer, sums their squares into norms, keeps 6 significant digits and takes the probes by kind', () => {
    const cfg = resolveTrainConfig({
      seed: 1,
      diagnostics: { every: 5, gradients: true, activations: true },
    }).diagnostics;
    const r = new DiagnosticsRecorder(
      cfg,
      ['a/kernel', 'a/bias', 'b/kernel'],
      [
        { node: 'r', layer: 'r', kind: 'relu' },
        { node: 'n', layer: 'n', kind: 'bn' },
      ],
    );
    expect([r.isCheck(5, false), r.isCheck(6, false), r.isCheck(7, true)]).toEqual([true, false, true]);
    r.record(5, 1, {
      squaredGrads: [9, 16, 1],
      squaredWeights: [1, 3, 4],
      activations: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 1 / 3, 2, 3, 4, 5, 6],
    });
    expect(r.result()).toEqual({
      every: 5,
      checks: [
        {
          step: 5,
          epoch: 1,
          globalGradNorm: 5.09902,
          layers: [
            { layer: 'a', gradNorm: 5, weightNorm: 2 },
            { layer: 'b', gradNorm: 1, weightNorm: 2 },
          ],
          activations: [
            { layer: 'r', kind: 'relu', mean: 0.1, std: 0.2, zeroFraction: 0.3, deadFraction: 0.4 },
            { layer: 'n', kind: 'bn', mean: 0.333333, std: 2, channelMeanAbs: 5, channelStd: 6 },
          ],
        },
      ],
      flags: [],
    });
  });
});
