import { afterEach, describe, expect, it } from 'vitest';
import type { LayersModel } from '@tensorflow/tfjs-node';
import { loadTf } from '../../../src/backend/tf.js';
import { buildModel } from '../../../src/eval/build/build-model.js';
import {
  DivergedError,
  lrAt,
  toStepSchedule,
  train,
  type TrainConfig,
  type TrainData,
} from '../../../src/eval/train/index.js';
import { trainArch } from '../../../src/eval/train-model.js';
import type { StepReport } from '../../../src/core/trial.js';
import { part, patternSet, smallCnn } from './helpers.js';

const tf = loadTf();
const SHAPE = [8, 8, 3] as const;
const set = patternSet(240, SHAPE, 4, 'loop');
const data: TrainData = { train: part(set, 0, 200), validation: part(set, 200, 240), test: part(set, 200, 240) };
const arch = smallCnn(SHAPE, 4);
const base: TrainConfig = { seed: 1, epochs: 2, batchSize: 20 };

let models: LayersModel[] = [];
const model = (seed: number | string = 1, a = arch) => {
  const m = buildModel(a, { seed });
  models.push(m);
  return m;
};
afterEach(() => {
  for (const m of models) m.dispose();
  models = [];
});

describe('a short fit', () => {
  it('leaks no tensors: the count after model, optimizer and batches are disposed equals the count before', async () => {
    const before = tf.memory().numTensors;
    const m = buildModel(smallCnn(SHAPE, 4, { dropout: 0.3 }), { seed: 3 });
    const config: TrainConfig = {
      ...base,
      optimizer: { kind: 'adamw' },
      clipNorm: 1,
      labelSmoothing: 0.1,
      test: true,
      diagnostics: { gradients: true, activations: true },
    };
    const result = await train(m, data, config);
    expect(tf.memory().numTensors).toBe(before + m.weights.length);
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(result.epochs).toHaveLength(2);
    expect(result.testAccuracy).toBeGreaterThanOrEqual(0);
    await trainArch(arch, data, { ...config, optimizer: { kind: 'sgd' } });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reports per epoch: train and validation loss/accuracy, the last step’s learning rate, wall time', async () => {
    const result = await train(model(), data, { ...base, epochs: 3, test: true });
    expect(result.steps).toBe(30);
    expect(result.stopped).toBe(false);
    expect(result.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    const schedule = toStepSchedule({ kind: 'cosine', lrMax: 0.1 }, 10);
    expect(result.epochs.map((e) => e.learningRate)).toEqual([9, 19, 29].map((t) => lrAt(t, 30, schedule)));
    for (const e of result.epochs) {
      for (const v of [e.trainAccuracy, e.validationAccuracy]) expect(v).toBeGreaterThanOrEqual(0);
      expect(e.validationAccuracy * 40).toBeCloseTo(Math.round(e.validationAccuracy * 40), 9);
      expect(e.trainAccuracy * 200).toBeCloseTo(Math.round(e.trainAccuracy * 200), 9);
      expect(e.seconds).toBeGreaterThan(0);
    }
    const last = result.epochs.at(-1);
    expect(last?.trainLoss).toBeLessThan(result.epochs[0]?.trainLoss ?? 0);
    expect(result.testAccuracy).toBe(last?.validationAccuracy);
    expect(result.testLoss).toBe(last?.validationLoss);
  });

  it('trains the asked fraction of the training part and the asked number of steps', async () => {
    const half = await train(model(), data, { ...base, dataFraction: 0.5 });
    expect(half.steps).toBe(10);
    const steps = await train(model(), data, { seed: 1, steps: 25, batchSize: 20 });
    expect(steps.steps).toBe(25);
    expect(steps.epochs).toHaveLength(3);
    const dropLast = await train(model(), { train: part(set, 0, 210) }, { ...base, epochs: 1, dropLast: true });
    expect(dropLast.steps).toBe(10);
    expect(dropLast.epochs[0]?.validationLoss).toBeNaN();
  });
});

describe('determinism', () => {
  const run = (trainSeed: number, initSeed = 7) =>
    train(model(initSeed, smallCnn(SHAPE, 4, { dropout: 0.5 })), data, { ...base, seed: trainSeed, dataFraction: 0.8 });
  const curve = (r: Awaited<ReturnType<typeof run>>) =>
    r.epochs.flatMap((e) => [e.trainLoss, e.validationLoss, e.trainAccuracy]);

  it('same seeds give identical per-epoch losses (dropout and order included)', async () => {
    expect(curve(await run(1))).toEqual(curve(await run(1)));
  });

  it('another training seed (order, subset, dropout) gives other losses from the same initial weights', async () => {
    expect(curve(await run(2))).not.toEqual(curve(await run(1)));
  });

  it('trainArch: another seed gives other initial weights and losses', async () => {
    const a = await trainArch(arch, data, { ...base, seed: 'a' });
    const b = await trainArch(arch, data, { ...base, seed: 'b' });
    expect(a.epochs.map((e) => e.trainLoss)).not.toEqual(b.epochs.map((e) => e.trainLoss));
  });

  it('trainArch initialises with config.init: He and Glorot give other weights, hence other losses', async () => {
    const he = await trainArch(arch, data, { ...base, epochs: 1, init: 'he' });
    const glorot = await trainArch(arch, data, { ...base, epochs: 1, init: 'glorot' });
    expect(he.epochs[0]?.trainLoss).not.toBe(glorot.epochs[0]?.trainLoss);
  });

  it('the augmentation transform gets a per-epoch seeded rng: same seed, same draws', async () => {
    const draws: number[][] = [[], []];
    for (const k of [0, 1]) {
      await train(
        model(),
        { ...data, transform: { train: (_i, _n, _s, rng) => void draws[k]?.push(rng.next()) } },
        base,
      );
    }
    expect(draws[0]).toHaveLength(20);
    expect(draws[0]).toEqual(draws[1]);
  });
});

describe('divergence', () => {
  it('a NaN loss stops the run with DivergedError at that step, before any update from it', async () => {
    let calls = 0;
    const poison = (images: Float32Array) => {
      calls += 1;
      if (calls === 13) images[0] = Number.NaN;
    };
    const error = await train(model(), { ...data, transform: { train: poison } }, base).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DivergedError);
    const d = error as DivergedError;
    expect([d.reason, d.step, d.epoch]).toEqual(['diverged', 13, 2]);
    expect(d.loss).toBeNaN();
    expect(d.epochs).toHaveLength(1);
  });

  it('learning rate 1e6 diverges, and the tensors are still all freed', async () => {
    const before = tf.memory().numTensors;
    const error = await trainArch(arch, data, { ...base, epochs: 5, schedule: { kind: 'constant', lr: 1e6 } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DivergedError);
    expect((error as DivergedError).step).toBeGreaterThan(1);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('stopping', () => {
  it('shouldStop is asked before every step; the run stops within one batch', async () => {
    let asked = 0;
    const result = await train(model(), data, base, { shouldStop: () => ++asked > 14 });
    expect([result.steps, result.stopped, result.epochs.length]).toEqual([14, true, 1]);
  });

  it('an AbortSignal aborted during a step stops the run before the next', async () => {
    const controller = new AbortController();
    const result = await train(model(), data, base, {
      signal: controller.signal,
      progressIntervalMs: 0,
      onProgress: (p) => p.step === 3 && controller.abort(),
    });
    expect([result.steps, result.stopped, result.epochs.length]).toEqual([3, true, 0]);
  });

  it('progress comes at most every progressIntervalMs, and every epoch ends with onEpoch', async () => {
    const steps: number[] = [];
    const epochs: number[] = [];
    await train(model(), data, base, {
      progressIntervalMs: 0,
      onProgress: (p) => steps.push(p.step),
      onEpoch: (e) => epochs.push(e.epoch),
    });
    expect(steps).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(epochs).toEqual([1, 2]);
    const throttled: number[] = [];
    await train(model(), data, base, { progressIntervalMs: 60_000, onProgress: (p) => throttled.push(p.step) });
    expect(throttled).toEqual([1]);
  });
});

describe('step reports (a pruner within the epochs)', () => {
  it("reports every N steps: the validation figures then, and the epoch so far; at an epoch end, that epoch's figures", async () => {
    // 200 images, batch 20: 10 steps an epoch, 20 in all.
    const reports: StepReport[] = [];
    const result = await train(model(), data, base, { report: { every: 5, on: (r) => reports.push(r) } });
    expect(reports.map((r) => [r.step, r.epoch, r.of])).toEqual([
      [5, 1, 4],
      [10, 1, 4],
      [15, 2, 4],
      [20, 2, 4],
    ]);
    for (const [i, epoch] of result.epochs.entries()) {
      const atEnd = reports[2 * i + 1] as StepReport;
      expect([atEnd.validationLoss, atEnd.validationAccuracy]).toEqual([
        epoch.validationLoss,
        epoch.validationAccuracy,
      ]);
      expect([atEnd.trainLoss, atEnd.trainAccuracy]).toEqual([epoch.trainLoss, epoch.trainAccuracy]);
    }
    // Mid-epoch, the validation part evaluated with the weights of that step: figures of their own.
    expect(reports[0]?.validationLoss).not.toBe(reports[1]?.validationLoss);
    const uneven: number[] = [];
    await train(model(), data, base, { report: { every: 3, on: (r) => uneven.push(r.step) } });
    expect(uneven).toEqual([3, 6, 9, 12, 15, 18]);
  });
});
