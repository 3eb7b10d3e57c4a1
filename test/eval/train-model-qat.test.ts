// trainModel with quantization-aware training (train.qat): the last epochs (or the last fraction of
// the steps) run the compiled `train_qat` step, then the full-integer network with the learned ranges
// is evaluated once on the validation and test parts; nothing leaks; a run that falls back to eager
// or stops before QAT says so and reports no full-integer figures.
import { afterEach, describe, expect, it } from 'vitest';
import type { LayersModel } from '@tensorflow/tfjs-node';
import { loadTf } from '../../src/backend/tf.js';
import { buildModel } from '../../src/eval/build/build-model.js';
import { activationPlan, prepareForQuantization } from '../../src/eval/quantize/index.js';
import { trainModel } from '../../src/eval/train-model.js';
import {
  resolveTrainConfig,
  train,
  TrainConfigError,
  type TrainConfig,
  type TrainData,
} from '../../src/eval/train/index.js';
import { modelWeights } from '../../src/eval/weights.js';
import { part, patternSet, smallCnn } from './train/helpers.js';

const tf = loadTf();
const SHAPE = [12, 12, 3] as const;
const CLASSES = 4;
const set = patternSet(480, SHAPE, CLASSES, 'train-model-qat');
const data: TrainData = { train: part(set, 0, 384), validation: part(set, 384, 480), test: part(set, 384, 480) };
const arch = smallCnn(SHAPE, CLASSES);
const base: TrainConfig = { seed: 5, epochs: 2, batchSize: 32, test: true };

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

describe('trainModel with quantization-aware training', () => {
  it('trains the last epoch fake-quantized, then measures the full-integer network with the learned ranges', async () => {
    const tensors = tf.memory().numTensors;
    const savedModels = tf.node.getNumOfSavedModels();
    const m = buildModel(arch, { seed: 7 });
    const result = await trainModel(arch, m, data, resolveTrainConfig({ ...base, qat: { epochs: 1 } }));
    expect(result.engine).toEqual({ name: 'compiled' });
    expect([result.steps, result.qatSteps]).toEqual([24, 12]);
    const qat = result.quantizationAware;
    const points = activationPlan(prepareForQuantization(arch, modelWeights(m)).arch).points;
    expect([...(qat?.ranges.keys() ?? [])]).toEqual(points);
    for (const { min, max } of qat?.ranges.values() ?? []) expect(min <= 0 && max >= 0 && max > min).toBe(true);
    const float = result.epochs.at(-1)?.validationAccuracy as number;
    console.log(
      `validation accuracy: float ${float}, full integer with QAT ranges ${qat?.validation?.accuracy}; test ${result.testAccuracy} and ${qat?.test?.accuracy}`,
    );
    expect(float).toBeGreaterThan(0.5);
    expect(Math.abs((qat?.validation?.accuracy as number) - float)).toBeLessThanOrEqual(0.05);
    expect(qat?.test?.count).toBe(96);
    expect(tf.node.getNumOfSavedModels()).toBe(savedModels);
    expect(tf.memory().numTensors).toBe(tensors + m.weights.length);
    m.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('takes the last fraction of the steps with qat.fraction', async () => {
    const result = await trainModel(
      arch,
      model(),
      data,
      resolveTrainConfig({ ...base, test: false, qat: { fraction: 0.25 } }),
    );
    expect([result.steps, result.qatSteps]).toEqual([24, 6]);
    expect(result.quantizationAware?.validation).toBeDefined();
    expect(result.quantizationAware?.test).toBeUndefined();
  });

  it('diagnostics do not take QAT away (they are measured on the compiled engine), and eager training refuses QAT', async () => {
    const result = await trainModel(
      arch,
      model(),
      data,
      resolveTrainConfig({ ...base, qat: { epochs: 1 }, diagnostics: { gradients: true } }),
    );
    expect(result.engine).toEqual({ name: 'compiled' });
    expect(result.qatSteps).toBeGreaterThan(0);
    expect(result.diagnostics?.checks.length).toBeGreaterThan(0);
    await expect(train(model(), data, { ...base, qat: { epochs: 1 } })).rejects.toThrow(TrainConfigError);
  });

  it('a run stopped before its QAT epochs reports no full-integer figures', async () => {
    let epochs = 0;
    const hooks = { onEpoch: () => epochs++, shouldStop: () => epochs >= 1 };
    const result = await trainModel(arch, model(), data, resolveTrainConfig({ ...base, qat: { epochs: 1 } }), {
      hooks,
    });
    expect(result.stopped).toBe(true);
    expect(result.qatSteps).toBe(0);
    expect(result.quantizationAware).toBeUndefined();
  });
});
