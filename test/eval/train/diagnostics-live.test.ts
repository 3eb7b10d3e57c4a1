// Live diagnostics: each epoch's checks, histograms and flags go out through `onDiagnostics` as the
// epoch ends (before its `onEpoch`), on both engines, and together they are exactly the run's
// diagnostics; a stopOn stop reports the epoch it cut short, with the flag, before it throws.
import type { Tensor } from '@tensorflow/tfjs-node';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ArchNode } from '../../../src/core/arch.js';
import type { TrainDiagnostics } from '../../../src/core/diagnostics.js';
import type { DiagnosticEpoch } from '../../../src/core/trial-diagnostics.js';
import { loadTf } from '../../../src/backend/tf.js';
import { assertArch, type ResolvedArch } from '../../../src/space/index.js';
import { buildModel } from '../../../src/eval/build/build-model.js';
import { trainArch, trainModel } from '../../../src/eval/train-model.js';
import {
  DiagnosticsStopError,
  resolveTrainConfig,
  type TrainData,
  type TrainHooks,
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
  { id: 'gap', op: 'gap', inputs: ['p1'] },
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

/** Hooks that log, in order, every epoch record and every finished epoch. */
function recording(): { hooks: TrainHooks; records: DiagnosticEpoch[]; order: string[] } {
  const records: DiagnosticEpoch[] = [];
  const order: string[] = [];
  const hooks: TrainHooks = {
    onDiagnostics: (record) => {
      records.push(record);
      order.push(`diagnostics ${record.epoch}`);
    },
    onEpoch: (m) => order.push(`epoch ${m.epoch}`),
  };
  return { hooks, records, order };
}

/** The records joined back into one run's checks, histograms and flags. */
function joined(records: readonly DiagnosticEpoch[]): Omit<TrainDiagnostics, 'every'> {
  return {
    checks: records.flatMap((r) => r.checks),
    histograms: records.flatMap((r) => r.histograms),
    flags: records.flatMap((r) => r.flags),
  };
}

describe.each(['compiled', 'eager'] as const)('live diagnostics on the %s engine', (engine) => {
  it('reports each epoch as it ends, before its onEpoch; the records are the run diagnostics, split by epoch', async () => {
    const { hooks, records, order } = recording();
    // 7 steps an epoch at batch 64: checked every 4 steps and at each epoch's last step (7, 14).
    const cfg = {
      seed: 3,
      epochs: 2,
      batchSize: 64,
      engine,
      diagnostics: { every: 4, gradients: true, activations: true, histograms: true },
    };
    const result = await trainArch(arch, data, cfg, hooks);
    expect(order).toEqual(['diagnostics 1', 'epoch 1', 'diagnostics 2', 'epoch 2']);
    const run = result.diagnostics as TrainDiagnostics;
    expect(joined(records)).toStrictEqual({ checks: run.checks, histograms: run.histograms, flags: run.flags });
    expect(records.map((r) => r.checks.map((c) => c.step))).toEqual([
      [4, 7],
      [8, 12, 14],
    ]);
    for (const r of records) {
      expect(r.checks.every((c) => c.epoch === r.epoch)).toBe(true);
      expect(r.histograms.every((h) => h.epoch === r.epoch)).toBe(true);
      // a weight and a gradient histogram per layer with weights (c1, b1, logits), an activation one per probe (b1, r1)
      expect(r.histograms.map((h) => [h.kind, h.layer])).toEqual([
        ['weight', 'c1'],
        ['weight', 'b1'],
        ['weight', 'logits'],
        ['gradient', 'c1'],
        ['gradient', 'b1'],
        ['gradient', 'logits'],
        ['activation', 'b1'],
        ['activation', 'r1'],
      ]);
    }
  });

  it('reports the epoch a stopOn stop cut short, with the flag that stopped it, before the error', async () => {
    const { hooks, records, order } = recording();
    const model = buildModel(arch, { seed: 2 });
    // A dead ReLU at r1, made by BatchNorm's β (as in diagnostics-engines.test.ts).
    const bn = model.getLayer('b1');
    const [gamma, , mean, variance] = bn.getWeights() as Tensor[];
    const beta = tf.fill([8], -20);
    bn.setWeights([gamma as Tensor, beta, mean as Tensor, variance as Tensor]);
    beta.dispose();
    const cfg = resolveTrainConfig({
      seed: 1,
      epochs: 2,
      batchSize: 64,
      engine,
      diagnostics: { every: 2, activations: true, stopOn: ['dead-relu'] },
    });
    const error = await trainModel(arch, model, data, cfg, { hooks }).catch((e: unknown) => e);
    model.dispose();
    expect(error).toBeInstanceOf(DiagnosticsStopError);
    const stop = error as DiagnosticsStopError;
    // runLength 3 at every 2: the flag is raised at the third check, step 6, inside epoch 1 (7 steps)
    expect(stop.flag).toMatchObject({ kind: 'dead-relu', layer: 'r1', firstStep: 2, step: 6 });
    expect(order).toEqual(['diagnostics 1']);
    expect(records[0]?.flags).toStrictEqual([stop.flag]);
    expect(joined(records)).toStrictEqual({
      checks: stop.diagnostics.checks,
      histograms: [],
      flags: stop.diagnostics.flags,
    });
  });
});
