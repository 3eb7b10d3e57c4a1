// trainModel picks the engine: the compiled graph by default (and the trained weights end in the
// model), eager when asked (diagnostics are measured on either engine); both engines learn the same
// thing from the same seeds; and a compiled run leaves no tensor and no loaded SavedModel behind.
import { afterEach, describe, expect, it } from 'vitest';
import type { LayersModel } from '@tensorflow/tfjs-node';
import { loadTf } from '../../src/backend/tf.js';
import { buildModel } from '../../src/eval/build/build-model.js';
import { trainModel } from '../../src/eval/train-model.js';
import { evaluate, resolveTrainConfig, type TrainConfig, type TrainData } from '../../src/eval/train/index.js';
import { part, patternSet, smallCnn } from './train/helpers.js';

const tf = loadTf();
const SHAPE = [12, 12, 3] as const;
const CLASSES = 4;
const set = patternSet(480, SHAPE, CLASSES, 'train-model');
const data: TrainData = { train: part(set, 0, 384), validation: part(set, 384, 480) };
const arch = smallCnn(SHAPE, CLASSES);
const base: TrainConfig = { seed: 5, epochs: 1, batchSize: 32 };

let models: LayersModel[] = [];
const model = (seed: number | string = 1) => {
  const m = buildModel(arch, { seed });
  models.push(m);
  return m;
};
afterEach(() => {
  for (const m of models) m.dispose();
  models = [];
});

describe('trainModel', () => {
  it('trains on the compiled engine by default, on the native backend, and leaves the trained weights in the model', async () => {
    const cfg = resolveTrainConfig(base);
    const m = model();
    const result = await trainModel(arch, m, data, cfg);
    expect(result.engine).toEqual({ name: 'compiled' });
    expect(tf.getBackend()).toBe('tensorflow');
    expect(result.steps).toBe(12);
    const last = result.epochs.at(-1);
    // The compiled graph evaluated the validation part with its own weights; the model, evaluated
    // eagerly, must give the same loss: the trained weights (moving statistics included) were copied.
    const eager = evaluate(m, data.validation as NonNullable<TrainData['validation']>, {
      batchSize: cfg.evalBatchSize,
    });
    expect(Math.abs(eager.loss - (last?.validationLoss as number)) / Math.max(1, eager.loss)).toBeLessThan(1e-4);
    expect(eager.accuracy).toBe(last?.validationAccuracy);
    // And it moved from its initial weights (an untrained copy evaluates differently).
    const untrained = evaluate(model(), data.validation as NonNullable<TrainData['validation']>, {
      batchSize: cfg.evalBatchSize,
    });
    expect(Math.abs(untrained.loss - eager.loss)).toBeGreaterThan(1e-3);
  });

  it("trains eagerly with engine 'eager', without a fallback", async () => {
    const result = await trainModel(arch, model(), data, resolveTrainConfig({ ...base, engine: 'eager' }));
    expect(result.engine).toEqual({ name: 'eager' });
    expect(result.engine.fallback).toBeUndefined();
    expect(result.steps).toBe(12);
  });

  it('trains on the compiled engine with diagnostics, which it measures', async () => {
    const result = await trainModel(
      arch,
      model(),
      data,
      resolveTrainConfig({ ...base, diagnostics: { gradients: true } }),
    );
    expect(result.engine).toEqual({ name: 'compiled' });
    // 12 steps at every 50: one check, at the epoch's last step.
    expect(result.diagnostics?.checks.map((c) => [c.step, c.layers?.map((l) => l.layer)])).toEqual([
      [12, ['conv1', 'bn1', 'logits']],
    ]);
  });

  it('the compiled and the eager engine reach the same validation accuracy from the same seeds', async () => {
    // Same initial weights (model seed), same batches, order and learning rates: the runs differ
    // only by float rounding (kernels summing in another order), which one epoch of SGD does not
    // amplify into a different classifier. Measured over 6 seed pairs (2 epochs, 96 validation
    // images): identical accuracies, validation losses equal or 3e-6 apart (relative). Allowed: 3
    // points of accuracy, 1e-3 relative loss. (With dropout the two engines draw different masks, and
    // two epochs on this small set then vary by up to ~25 points: that is seed noise, not the engine.)
    const cfg = { ...base, epochs: 2 };
    const compiled = await trainModel(arch, model(7), data, resolveTrainConfig(cfg));
    const eager = await trainModel(arch, model(7), data, resolveTrainConfig({ ...cfg, engine: 'eager' }));
    expect(compiled.engine.name).toBe('compiled');
    expect(eager.engine.name).toBe('eager');
    const [c, e] = [compiled.epochs.at(-1), eager.epochs.at(-1)];
    expect(Math.abs((c?.validationAccuracy as number) - (e?.validationAccuracy as number))).toBeLessThanOrEqual(0.03);
    expect(
      Math.abs((c?.validationLoss as number) - (e?.validationLoss as number)) / (e?.validationLoss as number),
    ).toBeLessThan(1e-3);
    // The task is learnable, so both runs are well above chance (1 / 4) and agreeing is not trivial.
    expect(c?.validationAccuracy).toBeGreaterThan(0.5);
  });

  it('leaks nothing: tensors and loaded SavedModels after the run (and model.dispose()) are as before', async () => {
    const tensors = tf.memory().numTensors;
    const savedModels = tf.node.getNumOfSavedModels();
    const m = buildModel(arch, { seed: 2 });
    const result = await trainModel(
      arch,
      m,
      data,
      resolveTrainConfig({ ...base, optimizer: { kind: 'adamw' }, clipNorm: 1, labelSmoothing: 0.1 }),
      { latency: { batch: 4, warmup: 1, repeats: 2 } },
    );
    expect(result.engine).toEqual({ name: 'compiled' });
    expect(tf.node.getNumOfSavedModels()).toBe(savedModels);
    expect(tf.memory().numTensors).toBe(tensors + m.weights.length);
    m.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
  });
});
