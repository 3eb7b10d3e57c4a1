// Diagnostics on both engines: the same figures for the same network and seed; off, nothing is
// compiled for them; stopOn stops the run with the typed error. Real MNIST images, small subsets.
import type { Tensor } from '@tensorflow/tfjs-node';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ArchNode } from '../../../src/core/arch.js';
import type { DiagnosticCheck, TrainDiagnostics } from '../../../src/core/diagnostics.js';
import { loadTf } from '../../../src/backend/tf.js';
import { assertArch, type ResolvedArch } from '../../../src/space/index.js';
import { buildModel } from '../../../src/eval/build/build-model.js';
import { compileArch } from '../../../src/eval/compile/index.js';
import { trainArch, trainModel } from '../../../src/eval/train-model.js';
import {
  DiagnosticsStopError,
  resolveTrainConfig,
  type TrainConfig,
  type TrainData,
} from '../../../src/eval/train/index.js';
import { mnistSubset } from './diagnostics-helpers.js';

const tf = loadTf();
let data: TrainData;
let arch: ResolvedArch;

const NODES: ArchNode[] = [
  { id: 'c1', op: 'conv', inputs: ['input'], filters: 8, kernel: 3, padding: 'same' },
  { id: 'b1', op: 'bn', inputs: ['c1'] },
  { id: 'r1', op: 'act', fn: 'relu', inputs: ['b1'] },
  { id: 'p1', op: 'maxpool', inputs: ['r1'], kernel: 2, stride: 2 },
  { id: 'res', op: 'basic', inputs: ['p1'], filters: 8 },
  { id: 'gap', op: 'gap', inputs: ['res'] },
  { id: 'logits', op: 'dense', units: 'classes', inputs: ['gap'] },
];

beforeAll(async () => {
  const mnist = await mnistSubset(384, 64);
  data = mnist.data;
  arch = assertArch(
    { version: 1, nodes: NODES, output: 'logits' },
    { inputShape: mnist.shape, classes: mnist.classes },
  );
});

/** |a − b| relative to the larger (or to `scale`, when larger); 0 when both are 0. */
const relative = (a: number, b: number, scale = 0) =>
  a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), scale);

/**
 * Every figure of two runs' checks side by side: [where, compiled, eager, scale]. A mean is compared
 * relative to the spread of what it averages (its std): the mean of values of scale s near 0 carries
 * float error of order 1e-7·s, however small the mean (measured: b1's channel |mean| 0.0063 differed
 * by 1.1e-4 of itself, 7e-7 of its std).
 */
function pairs(c: readonly DiagnosticCheck[], e: readonly DiagnosticCheck[]): [string, number, number, number][] {
  return c.flatMap((cc, i) => {
    const ee = e[i] as DiagnosticCheck;
    const layers = (cc.layers ?? []).flatMap((l) => {
      const m = ee.layers?.find((x) => x.layer === l.layer);
      return [
        [`${cc.step} ${l.layer} gradNorm`, l.gradNorm, m?.gradNorm ?? Number.NaN, 0],
        [`${cc.step} ${l.layer} weightNorm`, l.weightNorm, m?.weightNorm ?? Number.NaN, 0],
      ] as [string, number, number, number][];
    });
    const probes = (cc.activations ?? []).flatMap((a, j) => {
      const b = ee.activations?.[j];
      const scale = { mean: a.std, channelMeanAbs: a.channelStd ?? 0 } as Record<string, number>;
      return (['mean', 'std', 'zeroFraction', 'deadFraction', 'channelMeanAbs', 'channelStd'] as const)
        .filter((k) => a[k] !== undefined)
        .map(
          (k) =>
            [
              `${cc.step} ${a.layer} ${k}`,
              a[k] as number,
              (b?.[k] as number | undefined) ?? Number.NaN,
              scale[k] ?? 0,
            ] as [string, number, number, number],
        );
    });
    return [
      [`${cc.step} global`, cc.globalGradNorm as number, ee.globalGradNorm as number, 0] as [
        string,
        number,
        number,
        number,
      ],
      ...layers,
      ...probes,
    ];
  });
}

describe('diagnostics on both engines', () => {
  it('give the same figures within 1e-4 relative, at the same steps, with the same histograms (measured worst: 9e-6)', async () => {
    const cfg: TrainConfig = {
      seed: 3,
      epochs: 2,
      batchSize: 64,
      diagnostics: { every: 2, gradients: true, activations: true, histograms: true },
    };
    const compiled = await trainArch(arch, data, cfg);
    const eager = await trainArch(arch, data, { ...cfg, engine: 'eager' });
    expect([compiled.engine.name, eager.engine.name]).toEqual(['compiled', 'eager']);
    const [c, e] = [compiled.diagnostics as TrainDiagnostics, eager.diagnostics as TrainDiagnostics];
    // 420 training images at batch 64: 7 steps an epoch; every 2 and each epoch's last step.
    expect(c.checks.map((x) => x.step)).toEqual([2, 4, 6, 7, 8, 10, 12, 14]);
    expect(e.checks.map((x) => [x.step, x.epoch])).toEqual(c.checks.map((x) => [x.step, x.epoch]));
    expect(c.checks[0]?.layers?.map((l) => l.layer)).toEqual([
      'c1',
      'b1',
      'res_conv1',
      'res_bn1',
      'res_conv2',
      'res_bn2',
      'logits',
    ]);
    expect(c.checks[0]?.activations?.map((a) => [a.layer, a.kind])).toEqual([
      ['b1', 'bn'],
      ['r1', 'relu'],
      ['res_bn1', 'bn'],
      ['res_relu1', 'relu'],
      ['res_bn2', 'bn'],
      ['res', 'block'],
    ]);
    const figures = pairs(c.checks, e.checks);
    expect(figures.length).toBe(8 * (1 + 2 * 7 + 6 * 4));
    const off = figures.filter(([, a, b, scale]) => !(relative(a, b, scale) < 1e-4));
    expect(off).toEqual([]);
    expect(c.histograms?.map((h) => [h.epoch, h.layer, h.kind])).toEqual(
      e.histograms?.map((h) => [h.epoch, h.layer, h.kind]),
    );
    // Per epoch: 7 layers' weights and gradients, then the 6 probes' activations.
    expect(c.histograms).toHaveLength(2 * (2 * 7 + 6));
    const activations = (d: TrainDiagnostics) => (d.histograms ?? []).filter((h) => h.kind === 'activation');
    expect(activations(c).map((h) => [h.epoch, h.layer])).toEqual(
      [1, 2].flatMap((epoch) => c.checks[0]?.activations?.map((a) => [epoch, a.layer])),
    );
    // Every value of the probe batch (the 64 validation images): 28×28×8 before the pool, 14×14×8 after it.
    expect(activations(c).map((h) => h.counts.reduce((s, n) => s + n, 0))).toEqual(
      [1, 2].flatMap(() => [64 * 28 * 28 * 8, 64 * 28 * 28 * 8, ...Array<number>(4).fill(64 * 14 * 14 * 8)]),
    );
    activations(c).forEach((h, i) => {
      const o = activations(e)[i];
      expect(relative(h.min, o?.min as number)).toBeLessThan(1e-4);
      expect(relative(h.max, o?.max as number)).toBeLessThan(1e-4);
      // Equal, but for at most one value of the 100,352 to 401,408 that lies on a bin edge within float
      // error and lands in the next bin (measured: 2 of the 12 histograms had one such value).
      const moved = h.counts.flatMap((n, b) => (n === o?.counts[b] ? [] : [[b, n - (o?.counts[b] as number)]]));
      if (moved.length > 0) expect(moved.map(([, d]) => Math.abs(d as number))).toEqual([1, 1]);
      if (moved.length > 0) expect((moved[1]?.[0] as number) - (moved[0]?.[0] as number)).toBe(1);
    });
    c.histograms?.forEach((h, i) => {
      const o = e.histograms?.[i];
      expect(relative(h.min, o?.min as number)).toBeLessThan(1e-4);
      expect(relative(h.max, o?.max as number)).toBeLessThan(1e-4);
      expect(h.counts.reduce((s, n) => s + n, 0)).toBe(o?.counts.reduce((s, n) => s + n, 0));
      // A value on a bin edge may land on either side of it: at most one count apart per bin.
      h.counts.forEach((n, b) => expect(Math.abs(n - (o?.counts[b] as number))).toBeLessThanOrEqual(1));
    });
    expect([c.flags, e.flags]).toEqual([[], []]);
  });

  it('off: no diagnose signature is compiled, and the result has no diagnostics', async () => {
    const off = compileArch(arch, resolveTrainConfig({ seed: 1 }));
    const on = compileArch(arch, resolveTrainConfig({ seed: 1, diagnostics: true }));
    expect(off.signatures).not.toContain('diagnose');
    expect(off.nodes.some((n) => n.name.startsWith('diagnose/'))).toBe(false);
    expect(off.diagnose).toBeUndefined();
    expect(on.signatures).toContain('diagnose');
    expect(on.diagnose?.params).toHaveLength(12);
    const result = await trainArch(arch, data, { seed: 1, steps: 3, batchSize: 64 });
    expect(result.diagnostics).toBeUndefined();
  });

  it.each(['compiled', 'eager'] as const)(
    'stopOn stops the %s run with DiagnosticsStopError (reason diagnostics) at the flag, with the checks so far',
    async (engine) => {
      const tensors = tf.memory().numTensors;
      const model = buildModel(arch, { seed: 2 });
      // A large negative bias before the first BatchNorm does not kill anything (BN re-centres); after r1, on the block's
      // input path, it would. So the dead ReLU is made at r1 by BN's β.
      const bn = model.getLayer('b1');
      const [gamma, , mean, variance] = bn.getWeights() as Tensor[];
      const beta = tf.fill([8], -20);
      bn.setWeights([gamma as Tensor, beta as Tensor, mean as Tensor, variance as Tensor]);
      beta.dispose();
      const cfg = resolveTrainConfig({
        seed: 1,
        epochs: 2,
        batchSize: 64,
        engine,
        diagnostics: { every: 2, activations: true, stopOn: ['dead-relu'] },
      });
      const error = await trainModel(arch, model, data, cfg).catch((e: unknown) => e);
      model.dispose();
      expect(tf.memory().numTensors).toBe(tensors);
      expect(error).toBeInstanceOf(DiagnosticsStopError);
      const stop = error as DiagnosticsStopError;
      expect(stop.reason).toBe('diagnostics');
      expect(stop.flag).toMatchObject({
        kind: 'dead-relu',
        layer: 'r1',
        firstStep: 2,
        step: 6,
        value: 1,
        threshold: 0.9,
      });
      expect(stop.epoch).toBe(1);
      expect(stop.epochs).toEqual([]);
      expect(stop.diagnostics.checks.map((c) => c.step)).toEqual([2, 4, 6]);
      expect(stop.message).toMatch(/dead-relu at layer r1, step 6 \(epoch 1\)/);
    },
  );
});
