// Continuation (issue 16's promotion without retraining): training epochs 1…k, saving the state to a
// file, and training k+1…n from it in a new model gives exactly, bit for bit, the weights (BatchNorm
// statistics included) and epoch metrics of one uninterrupted run to n, on both engines, with SGD with
// momentum and with Adam (whose step count the state carries), with dropout and a cosine schedule
// over all n epochs.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { LayersModel } from '@tensorflow/tfjs-node';
import { loadTf } from '../../../src/backend/tf.js';
import { buildModel } from '../../../src/eval/build/build-model.js';
import { trainModel } from '../../../src/eval/train-model.js';
import {
  readTrainState,
  resolveTrainConfig,
  TrainConfigError,
  writeTrainState,
  type TrainConfig,
  type TrainData,
} from '../../../src/eval/train/index.js';
import { modelWeights } from '../../../src/eval/weights.js';
import type { EpochMetrics } from '../../../src/core/trial.js';
import { part, patternSet, smallCnn } from './helpers.js';

const SHAPE = [10, 10, 3] as const;
const CLASSES = 3;
const set = patternSet(200, SHAPE, CLASSES, 'continuation');
const data: TrainData = { train: part(set, 0, 160), validation: part(set, 160, 200) };
const arch = smallCnn(SHAPE, CLASSES, { dropout: 0.25 });
const dir = await mkdtemp(path.join(os.tmpdir(), 'nas-continuation-'));

let models: LayersModel[] = [];
const model = (seed: number) => {
  const m = buildModel(arch, { seed });
  models.push(m);
  return m;
};
afterEach(() => {
  for (const m of models) m.dispose();
  models = [];
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Epoch metrics without their wall times. */
const figures = (epochs: readonly EpochMetrics[]) => epochs.map(({ seconds: _seconds, ...rest }) => rest);

const cases: [string, TrainConfig][] = [
  ['compiled, SGD with momentum', { seed: 3, epochs: 3, batchSize: 32, engine: 'compiled' }],
  ['eager, SGD with momentum', { seed: 3, epochs: 3, batchSize: 32, engine: 'eager' }],
  ['compiled, Adam', { seed: 4, epochs: 3, batchSize: 32, engine: 'compiled', optimizer: { kind: 'adam' } }],
  ['eager, Adam', { seed: 4, epochs: 3, batchSize: 32, engine: 'eager', optimizer: { kind: 'adam' } }],
];

describe('continuing a run from its saved state', () => {
  it.each(cases)('%s: epochs 1, then 2–3 from the state, equal one run of 3 bit for bit', async (name, config) => {
    const cfg = resolveTrainConfig(config);
    const whole = model(7);
    const uninterrupted = await trainModel(arch, whole, data, cfg);

    const first = await trainModel(arch, model(7), data, cfg, { span: { until: 1, keepState: true } });
    expect(first.epochs.map((e) => e.epoch)).toEqual([1]);
    const state = first.state;
    if (state === undefined) throw new Error('no state kept');
    expect([state.epoch, state.step]).toEqual([1, 5]);
    const file = path.join(dir, `${name.replace(/\W+/g, '-')}.ckpt`);
    await writeTrainState(file, state);

    // Another initialisation: every weight must come from the state.
    const continued = model(8);
    const rest = await trainModel(arch, continued, data, cfg, { span: { resume: await readTrainState(file) } });
    expect(rest.steps).toBe(15);
    expect(figures(rest.epochs)).toEqual(figures(uninterrupted.epochs));
    const expected = modelWeights(whole);
    const actual = modelWeights(continued);
    expect([...actual.keys()]).toEqual([...expected.keys()]);
    for (const [weight, value] of expected) expect(actual.get(weight)?.data, weight).toEqual(value.data);
    expect(uninterrupted.engine.name).toBe(cfg.engine);
  });

  it('refuses a state from a run with another batch size or seed, naming both', async () => {
    const cfg = resolveTrainConfig({ seed: 3, epochs: 3, batchSize: 32 });
    const { state } = await trainModel(arch, model(7), data, cfg, { span: { until: 1, keepState: true } });
    if (state === undefined) throw new Error('no state kept');
    const other = resolveTrainConfig({ seed: 3, epochs: 3, batchSize: 16 });
    const attempt = trainModel(arch, model(7), data, other, { span: { resume: state } });
    await expect(attempt).rejects.toThrow(TrainConfigError);
    await expect(attempt).rejects.toThrow(/at step 5 after epoch 1; in this run epoch 1 ends at step 10 of 30/);
    const reseeded = resolveTrainConfig({ seed: 9, epochs: 3, batchSize: 32 });
    await expect(trainModel(arch, model(7), data, reseeded, { span: { resume: state } })).rejects.toThrow(
      `the training state's run has seed "3", this run "9"`,
    );
    expect(loadTf().getBackend()).toBe('tensorflow');
  });
});
