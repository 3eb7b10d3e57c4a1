import { describe, expect, it } from 'vitest';
import {
  DEFAULT_THRESHOLDS,
  resolveTrainConfig,
  TrainConfigError,
  type TrainConfig,
} from '../../../src/eval/train/index.js';
import { subsetOf } from '../../../src/eval/train/batches.js';
import { qatStartStep } from '../../../src/eval/train/plan.js';
import { Rng } from '../../../src/core/rng.js';

describe('resolveTrainConfig', () => {
  it('fills every default', () => {
    expect(resolveTrainConfig({ seed: 3 })).toEqual({
      seed: '3',
      budget: { unit: 'epochs', count: 1 },
      dataFraction: 1,
      batchSize: 128,
      dropLast: false,
      optimizer: {
        kind: 'sgd',
        momentum: 0.9,
        nesterov: true,
        weightDecay: 5e-4,
        decoupled: false,
        decayOn: 'kernels',
      },
      schedule: { kind: 'cosine', lrMax: 0.1, lrMin: 0, warmupEpochs: 0, warmupFrom: 'zero' },
      labelSmoothing: 0,
      evalBatchSize: 500,
      test: false,
      init: 'he',
      engine: 'compiled',
      precision: 'fp32',
      diagnostics: {
        enabled: false,
        every: 50,
        gradients: false,
        activations: false,
        histograms: false,
        thresholds: DEFAULT_THRESHOLDS,
        stopOn: [],
      },
    });
  });

  it('diagnostics: an object naming no part turns every part on; naming parts turns on only those', () => {
    const parts = (diagnostics: TrainConfig['diagnostics']) => {
      const d = resolveTrainConfig({ seed: 1, ...(diagnostics === undefined ? {} : { diagnostics }) }).diagnostics;
      return [d.enabled, d.every, d.gradients, d.activations, d.histograms];
    };
    expect(parts(undefined)).toEqual([false, 50, false, false, false]);
    expect(parts({ every: 10 })).toEqual([true, 10, true, true, true]);
    expect(parts({ stopOn: ['exploding'] })).toEqual([true, 50, true, true, true]);
    expect(parts({ gradients: true })).toEqual([true, 50, true, false, false]);
    expect(parts({ gradients: false })).toEqual([false, 50, false, false, false]);
  });

  it('precision: fp32 or bf16, and bf16 only on the compiled engine', () => {
    expect(resolveTrainConfig({ seed: 1, precision: 'bf16' }).precision).toBe('bf16');
    expect(() => resolveTrainConfig({ seed: 1, precision: 'fp16' as never })).toThrow(
      `precision: expected 'fp32' or 'bf16', got "fp16"`,
    );
    expect(() => resolveTrainConfig({ seed: 1, precision: 'bf16', engine: 'eager' })).toThrow(
      `precision: expected 'fp32' with engine 'eager' (only the compiled engine trains in bf16), got "bf16"`,
    );
  });

  it('defaults Adam and AdamW to lr 1e-3 and decay 0 / 0.01', () => {
    const adam = resolveTrainConfig({ seed: 1, optimizer: { kind: 'adam' } });
    const adamw = resolveTrainConfig({ seed: 1, optimizer: { kind: 'adamw' }, steps: 50 });
    expect(adam.schedule).toMatchObject({ kind: 'cosine', lrMax: 1e-3 });
    expect([adam.optimizer.weightDecay, adamw.optimizer.weightDecay]).toEqual([0, 0.01]);
    expect(adamw.budget).toEqual({ unit: 'steps', count: 50 });
  });

  it('lists every problem at once, each with its path, what it expects and what it got', () => {
    const bad = {
      seed: 1,
      epochs: 0,
      batchSize: 2.5,
      dataFraction: 0,
      labelSmoothing: 1,
      clipNorm: -1,
      optimizer: { kind: 'sgd', momentum: 0, nesterov: true },
      schedule: { kind: 'one-cycle', lrMax: 1, riseFraction: 0.6, finalFraction: 0.5 },
    } as TrainConfig;
    let error: unknown;
    try {
      resolveTrainConfig(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TrainConfigError);
    const problems = (error as TrainConfigError).problems;
    expect(problems).toEqual([
      'epochs: expected a positive integer, got 0',
      'dataFraction: expected a number in (0, 1], got 0',
      'batchSize: expected a positive integer, got 2.5',
      'labelSmoothing: expected a number in [0, 1), got 1',
      'clipNorm: expected a positive number, got -1',
      'optimizer.nesterov: expected false when momentum is 0 (Nesterov needs momentum), got true',
      'schedule: expected riseFraction + finalFraction < 1, got {"kind":"one-cycle","lrMax":1,"lrMin":0.04,"riseFraction":0.6,"finalFraction":0.5}',
    ]);
    expect((error as TrainConfigError).message).toMatch(/^train config is invalid \(7 problems\)\n {2}• epochs/);
    expect((error as TrainConfigError).code).toBe('TRAIN_CONFIG');
  });

  it('rejects epochs with steps, a warm-up as long as the run, and an unknown schedule', () => {
    expect(() => resolveTrainConfig({ seed: 1, epochs: 2, steps: 10 })).toThrow(
      /steps: expected epochs or steps, not both/,
    );
    expect(() =>
      resolveTrainConfig({ seed: 1, epochs: 2, schedule: { kind: 'cosine', lrMax: 0.1, warmupEpochs: 2 } }),
    ).toThrow(/warmupEpochs: expected < epochs \(2\), got 2/);
    expect(() => resolveTrainConfig({ seed: 1, schedule: { kind: 'step' } as never })).toThrow(
      /schedule.kind: expected 'constant', 'cosine' or 'one-cycle', got "step"/,
    );
  });
});

describe('quantization-aware training (qat)', () => {
  const problems = (config: Omit<TrainConfig, 'seed'>): string[] => {
    try {
      resolveTrainConfig({ seed: 1, ...config });
      return [];
    } catch (error) {
      return (error as TrainConfigError).problems as string[];
    }
  };

  it("resolves the last epochs or the last fraction of the steps, with the moving ranges' momentum", () => {
    expect(resolveTrainConfig({ seed: 1, epochs: 3, qat: { epochs: 1 } }).qat).toEqual({ epochs: 1, momentum: 0.99 });
    expect(resolveTrainConfig({ seed: 1, steps: 50, qat: { fraction: 0.2, momentum: 0.9 } }).qat).toEqual({
      fraction: 0.2,
      momentum: 0.9,
    });
    expect(resolveTrainConfig({ seed: 1 }).qat).toBeUndefined();
  });

  it('names the field, what it expects and what it got', () => {
    expect(problems({ epochs: 2, qat: { epochs: 3 } })).toEqual([
      "qat.epochs: expected an integer in [1, 2] (at most the run's epochs), got 3",
    ]);
    expect(problems({ epochs: 2, qat: { epochs: 0.5 } })).toEqual([
      "qat.epochs: expected an integer in [1, 2] (at most the run's epochs), got 0.5",
    ]);
    expect(problems({ steps: 40, qat: { epochs: 1 } })).toEqual([
      'qat.epochs: expected qat.fraction with a budget in steps (the last fraction of the steps), got 1',
    ]);
    expect(problems({ qat: { fraction: 0 } })).toEqual(['qat.fraction: expected a number in (0, 1], got 0']);
    expect(problems({ qat: { epochs: 1, momentum: 1 } })).toEqual(['qat.momentum: expected a number in [0, 1), got 1']);
    expect(problems({ qat: {} })).toEqual([
      'qat: expected exactly one of qat.epochs (the last epochs) or qat.fraction (the last fraction of the steps), got {}',
    ]);
    expect(problems({ qat: { epochs: 1, fraction: 0.5 } })[0]).toMatch(
      /^qat: expected exactly one of qat.epochs .*, got \{"epochs":1,"fraction":0.5\}$/,
    );
    expect(problems({ engine: 'eager', qat: { epochs: 1 } })).toEqual([
      `qat: expected no quantization-aware training with engine 'eager' (only the compiled engine has a fake-quantized training step), got {"epochs":1}`,
    ]);
  });

  it('starts at the first step of the last epochs, or of the last ⌈f·T⌉ steps', () => {
    const plan = { stepsPerEpoch: 10, totalSteps: 30, epochs: 3 };
    expect(qatStartStep(plan, resolveTrainConfig({ seed: 1, epochs: 3, qat: { epochs: 1 } }))).toBe(20);
    expect(qatStartStep(plan, resolveTrainConfig({ seed: 1, epochs: 3, qat: { epochs: 3 } }))).toBe(0);
    expect(qatStartStep(plan, resolveTrainConfig({ seed: 1, epochs: 3, qat: { fraction: 0.1 } }))).toBe(27);
    expect(
      qatStartStep(
        { stepsPerEpoch: 10, totalSteps: 25, epochs: 3 },
        resolveTrainConfig({ seed: 1, steps: 25, qat: { fraction: 0.01 } }),
      ),
    ).toBe(24);
    expect(qatStartStep(plan, resolveTrainConfig({ seed: 1, epochs: 3 }))).toBeUndefined();
  });
});

describe('the data fraction (fidelity)', () => {
  it('takes ⌈f·n⌉ indices, nested across fractions for one seed', () => {
    const indices = Uint32Array.from({ length: 100 }, (_, i) => 1000 + i);
    const small = subsetOf(indices, 0.1, new Rng('s'));
    const large = subsetOf(indices, 0.55, new Rng('s'));
    expect([small.length, large.length]).toEqual([10, 55]);
    expect(Array.from(large.subarray(0, 10))).toEqual(Array.from(small));
    expect(new Set(large).size).toBe(55);
    expect(subsetOf(indices, 1, new Rng('s'))).toBe(indices);
    expect(Array.from(subsetOf(indices, 0.1, new Rng('t')))).not.toEqual(Array.from(small));
  });
});

describe('diagnostics', () => {
  it('true is everything at the defaults; the object form turns on what it names (older configs keep their meaning)', () => {
    expect(resolveTrainConfig({ seed: 1, diagnostics: true }).diagnostics).toEqual({
      enabled: true,
      every: 50,
      gradients: true,
      activations: true,
      histograms: true,
      thresholds: DEFAULT_THRESHOLDS,
      stopOn: [],
    });
    expect(resolveTrainConfig({ seed: 1, diagnostics: { gradients: true } }).diagnostics).toMatchObject({
      enabled: true,
      gradients: true,
      activations: false,
      histograms: false,
    });
    const custom = resolveTrainConfig({
      seed: 1,
      diagnostics: { every: 10, activations: true, thresholds: { deadFraction: 0.5 }, stopOn: ['dead-relu'] },
    }).diagnostics;
    expect(custom).toMatchObject({
      every: 10,
      thresholds: { ...DEFAULT_THRESHOLDS, deadFraction: 0.5 },
      stopOn: ['dead-relu'],
    });
  });

  it('names each bad field, what it expected and what it got', () => {
    const problems = (diagnostics: unknown) => {
      try {
        resolveTrainConfig({ seed: 1, diagnostics: diagnostics as never });
        return [];
      } catch (error) {
        return (error as TrainConfigError).problems;
      }
    };
    expect(problems({ every: 0 })).toEqual(['diagnostics.every: expected a positive integer, got 0']);
    expect(problems({ gradients: true, thresholds: { jumpFactor: 1, typo: 3 } })).toEqual([
      'diagnostics.thresholds.typo: expected one of vanishingRatio, runLength, explodingNorm, jumpFactor, deadFraction, bnMean, bnStdFactor, collapseStd, got "typo"',
      'diagnostics.thresholds.jumpFactor: expected a number > 1, got 1',
    ]);
    expect(problems({ gradients: true, stopOn: ['dead-relu', 'explode'] })).toEqual([
      'diagnostics.stopOn[0]: expected diagnostics.activations: true (\'dead-relu\' is judged on activations), got "dead-relu"',
      "diagnostics.stopOn[1]: expected one of 'vanishing', 'exploding', 'dead-relu', 'bn-drift', 'collapse', got \"explode\"",
    ]);
    expect(problems('yes')).toEqual([
      'diagnostics: expected true or an object { every?, gradients?, activations?, histograms?, thresholds?, stopOn? }, got "yes"',
    ]);
  });
});
