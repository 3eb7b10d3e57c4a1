// Networks built to misbehave, each caught by its flag and by no other, and a healthy one that raises
// none: real training on MNIST subsets (2,000 training, 500 validation images), default thresholds.
// The catalog has no initialiser attributes, so the misbehaviour is set in the built model's weights
// before training (tiny kernels, large negative biases), or by the training config (the learning rate).
import type { LayersModel, Tensor } from '@tensorflow/tfjs-node';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ArchNode } from '../../../src/core/arch.js';
import type { TrainDiagnostics } from '../../../src/core/diagnostics.js';
import { loadTf } from '../../../src/backend/tf.js';
import { assertArch } from '../../../src/space/index.js';
import { buildModel } from '../../../src/eval/build/build-model.js';
import { trainModel, type ModelTraining } from '../../../src/eval/train-model.js';
import {
  DiagnosticsStopError,
  resolveTrainConfig,
  type TrainConfig,
  type TrainData,
} from '../../../src/eval/train/index.js';
import { mnistSubset } from './diagnostics-helpers.js';

const tf = loadTf();
let data: TrainData;
let inputShape: readonly number[];
let classes: number;

beforeAll(async () => {
  ({ data, shape: inputShape, classes } = await mnistSubset(2000, 500));
});

/** Builds `nodes`, lets `edit` change the initial weights, trains on the compiled engine. */
async function trained(
  nodes: ArchNode[],
  config: Omit<TrainConfig, 'seed'>,
  edit?: (model: LayersModel) => void,
): Promise<ModelTraining> {
  const arch = assertArch({ version: 1, nodes, output: 'logits' }, { inputShape, classes });
  const model = buildModel(arch, { seed: 1 });
  try {
    edit?.(model);
    return await trainModel(arch, model, data, resolveTrainConfig({ seed: 1, epochs: 2, batchSize: 64, ...config }));
  } finally {
    model.dispose();
  }
}

/** Replaces each weight `change` returns a value for. */
function setWeights(model: LayersModel, change: (name: string, value: Tensor) => Tensor | undefined): void {
  for (const w of model.weights) {
    const next = change(w.originalName, w.read());
    if (next === undefined) continue;
    w.write(next);
    next.dispose();
  }
}

/** Three plain ReLU convolutions (no normalisation), GAP, dense. */
const PLAIN_RELU: ArchNode[] = [
  { id: 'c1', op: 'conv', inputs: ['input'], filters: 16, kernel: 3, padding: 'same' },
  { id: 'r1', op: 'act', fn: 'relu', inputs: ['c1'] },
  { id: 'c2', op: 'conv', inputs: ['r1'], filters: 16, kernel: 3, stride: 2, padding: 'same' },
  { id: 'r2', op: 'act', fn: 'relu', inputs: ['c2'] },
  { id: 'c3', op: 'conv', inputs: ['r2'], filters: 32, kernel: 3, stride: 2, padding: 'same' },
  { id: 'r3', op: 'act', fn: 'relu', inputs: ['c3'] },
  { id: 'gap', op: 'gap', inputs: ['r3'] },
  { id: 'logits', op: 'dense', units: 'classes', inputs: ['gap'] },
];

const kinds = (d: TrainDiagnostics | undefined) => [...new Set(d?.flags.map((f) => f.kind))];

describe('diagnostics flags on misbehaving networks (MNIST, compiled engine)', () => {
  it('a deep plain sigmoid network with tiny initial kernels: vanishing gradients, in the layers far from the loss', async () => {
    const nodes: ArchNode[] = [{ id: 'flat', op: 'flatten', inputs: ['input'] }];
    for (let i = 1; i <= 10; i++)
      nodes.push(
        { id: `d${i}`, op: 'dense', units: 64, inputs: [i === 1 ? 'flat' : `s${i - 1}`] },
        { id: `s${i}`, op: 'act', fn: 'sigmoid', inputs: [`d${i}`] },
      );
    nodes.push({ id: 'logits', op: 'dense', units: 'classes', inputs: ['s10'] });
    // He-normal kernels times 0.05: each layer passes back about 0.25 (sigmoid′ at 0) × 0.05 × ‖W‖.
    const result = await trained(nodes, { diagnostics: { every: 10, gradients: true, activations: true } }, (m) =>
      setWeights(m, (name, v) =>
        name.endsWith('/kernel') && !name.startsWith('logits') ? tf.mul(v, 0.05) : undefined,
      ),
    );
    expect(kinds(result.diagnostics)).toEqual(['vanishing']);
    const layers = result.diagnostics?.flags.map((f) => f.layer);
    // Measured ratios: d1 ≈ 1e-16 … d6 ≈ 1e-8 (flagged), d8 ≈ 1e-4, d10 ≈ 0.1 (not).
    expect(layers).toEqual(expect.arrayContaining(['d1', 'd2', 'd3', 'd4', 'd5', 'd6']));
    expect(layers).not.toContain('d9');
    expect(layers).not.toContain('d10');
    expect(layers).not.toContain('logits');
  });

  it('a huge learning rate without normalisation: exploding gradients, the first flag (stopOn stops there)', async () => {
    // SGD momentum 0.9 at a constant rate of 20: the global norm goes 0.8 → 9.6 → 973 in three steps.
    // Left to run, the ReLUs then die (dead-relu two checks later): a consequence, so the run stops on the cause.
    const config = {
      schedule: { kind: 'constant', lr: 20 },
      optimizer: { kind: 'sgd', momentum: 0.9, nesterov: false },
      diagnostics: { every: 1, gradients: true, activations: true, stopOn: ['exploding'] },
    } as const;
    const error = await trained(PLAIN_RELU, config).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiagnosticsStopError);
    const stop = error as DiagnosticsStopError;
    expect(stop.flag).toMatchObject({ kind: 'exploding', step: 3 });
    expect(stop.diagnostics.flags).toEqual([stop.flag]);
  });

  it('a ReLU network with large negative biases: dead ReLUs, and no vanishing (a dead path has an exactly-zero gradient)', async () => {
    const result = await trained(PLAIN_RELU, { diagnostics: { every: 10, gradients: true, activations: true } }, (m) =>
      setWeights(m, (name, v) => (name === 'c1/bias' || name === 'c2/bias' ? tf.fill(v.shape, -20) : undefined)),
    );
    expect(result.diagnostics?.flags.map((f) => [f.kind, f.layer, f.firstStep, f.value])).toEqual([
      ['dead-relu', 'r1', 10, 1],
      ['dead-relu', 'r2', 10, 1],
      ['dead-relu', 'r3', 10, 1],
    ]);
  });

  it('a healthy ResNet-style network raises no flag over 3 epochs, and learns', async () => {
    const nodes: ArchNode[] = [
      { id: 'stem', op: 'conv', inputs: ['input'], filters: 16, kernel: 3, padding: 'same', bias: false },
      { id: 'stem_bn', op: 'bn', inputs: ['stem'] },
      { id: 'stem_relu', op: 'act', fn: 'relu', inputs: ['stem_bn'] },
      { id: 'b1', op: 'basic', inputs: ['stem_relu'], filters: 16 },
      { id: 'b2', op: 'basic', inputs: ['b1'], filters: 32, stride: 2 },
      { id: 'b3', op: 'basic', inputs: ['b2'], filters: 64, stride: 2 },
      { id: 'gap', op: 'gap', inputs: ['b3'] },
      { id: 'logits', op: 'dense', units: 'classes', inputs: ['gap'] },
    ];
    const result = await trained(nodes, {
      epochs: 3,
      diagnostics: { every: 10, gradients: true, activations: true, histograms: true },
    });
    expect(result.diagnostics?.flags).toEqual([]);
    expect(result.diagnostics?.checks.length).toBe(3 * 4);
    // Per epoch: 19 layers' weights and gradients, and the activations of the checks' probes.
    expect(result.diagnostics?.checks[0]?.activations).toHaveLength(16);
    expect(result.diagnostics?.histograms?.length).toBe(3 * (2 * 19 + 16));
    expect(result.epochs.at(-1)?.validationAccuracy).toBeGreaterThan(0.9);
  });
});
