import { describe, expect, it } from 'vitest';
import { lrAt, toStepSchedule, withScheduleDefaults, type StepSchedule } from '../../../src/eval/train/schedule.js';

// Expected values are worked out by hand from design part 3.2's formulas; cos(π/4) = √2/2 = 0.7071067811865476.
const SQRT1_2 = 0.7071067811865476;
const close = (actual: number, expected: number) => expect(actual).toBeCloseTo(expected, 14);

describe('constant', () => {
  it('is the rate at every step', () => {
    const s: StepSchedule = { kind: 'constant', lr: 0.03 };
    expect([0, 1, 99].map((t) => lrAt(t, 100, s))).toEqual([0.03, 0.03, 0.03]);
  });
});

describe('cosine annealing: lr_min + ½(lr_max − lr_min)(1 + cos(π t / T_max))', () => {
  const s: StepSchedule = { kind: 'cosine', lrMax: 0.1, lrMin: 0.001, warmupSteps: 0, warmupStart: 0 };

  it('starts at lr_max, is halfway at T/2 and follows the formula at T/4, 3T/4 and T − 1', () => {
    close(lrAt(0, 100, s), 0.1);
    close(lrAt(25, 100, s), 0.001 + 0.0495 * (1 + SQRT1_2)); // 0.0855017856687341
    close(lrAt(50, 100, s), 0.0505);
    close(lrAt(75, 100, s), 0.001 + 0.0495 * (1 - SQRT1_2)); // 0.0154982143312659
    close(lrAt(99, 100, s), 0.001 + 0.0495 * (1 + Math.cos((Math.PI * 99) / 100)));
    expect(lrAt(25, 100, s)).toBeCloseTo(0.0855017856687341, 15);
  });

  it('warms up linearly from 0 over W steps, then anneals over T − W', () => {
    const w: StepSchedule = { ...s, warmupSteps: 10 };
    close(lrAt(0, 110, w), 0);
    close(lrAt(5, 110, w), 0.05);
    close(lrAt(9, 110, w), 0.09);
    close(lrAt(10, 110, w), 0.1);
    close(lrAt(60, 110, w), 0.0505);
  });

  it('warms up from lr_min when asked', () => {
    const w: StepSchedule = { ...s, warmupSteps: 10, warmupStart: 0.001 };
    close(lrAt(0, 110, w), 0.001);
    close(lrAt(5, 110, w), 0.0505);
  });

  it('restarts SGDR-style: cycles of T_0 = 10, then 20, then 40 steps (T_mult = 2)', () => {
    const r: StepSchedule = { ...s, restart: { t0: 10, tMult: 2 } };
    close(lrAt(0, 1000, r), 0.1);
    close(lrAt(5, 1000, r), 0.0505);
    close(lrAt(10, 1000, r), 0.1);
    close(lrAt(20, 1000, r), 0.0505);
    close(lrAt(29, 1000, r), 0.001 + 0.0495 * (1 + Math.cos((Math.PI * 19) / 20)));
    close(lrAt(30, 1000, r), 0.1);
    close(lrAt(40, 1000, r), 0.001 + 0.0495 * (1 + SQRT1_2));
    close(lrAt(70, 1000, r), 0.1);
  });

  it('restarts with T_mult = 1 every T_0 steps, after a warm-up', () => {
    const r: StepSchedule = { ...s, warmupSteps: 4, restart: { t0: 8, tMult: 1 } };
    close(lrAt(2, 100, r), 0.05);
    close(lrAt(4, 100, r), 0.1);
    close(lrAt(8, 100, r), 0.0505);
    close(lrAt(12, 100, r), 0.1);
    close(lrAt(28, 100, r), 0.1);
  });
});

describe('one-cycle: linear rise over 30%, cosine fall, final fall to lr_min / 100', () => {
  const s: StepSchedule = { kind: 'one-cycle', lrMax: 1, lrMin: 0.04, rise: 0.3, final: 0.1 };

  it('rises linearly from lr_min to lr_max over the first 30 of 100 steps', () => {
    close(lrAt(0, 100, s), 0.04);
    close(lrAt(15, 100, s), 0.52);
    close(lrAt(24, 100, s), 0.04 + 0.96 * 0.8);
  });

  it('falls from lr_max to lr_min by a cosine between steps 30 and 90', () => {
    close(lrAt(30, 100, s), 1);
    close(lrAt(45, 100, s), 0.04 + 0.48 * (1 + SQRT1_2));
    close(lrAt(60, 100, s), 0.52);
  });

  it('falls linearly from lr_min to lr_min / 100 over the last 10 steps', () => {
    close(lrAt(90, 100, s), 0.04);
    close(lrAt(95, 100, s), 0.0202);
    close(lrAt(99, 100, s), 0.04 - 0.0396 * 0.9); // 0.00436
  });
});

describe('configs in epochs', () => {
  it('turn warm-up and cycle lengths into whole steps', () => {
    expect(
      toStepSchedule(
        {
          kind: 'cosine',
          lrMax: 0.1,
          warmupEpochs: 1.5,
          warmupFrom: 'min',
          lrMin: 0.01,
          restart: { t0Epochs: 0.5, tMult: 2 },
        },
        10,
      ),
    ).toEqual({
      kind: 'cosine',
      lrMax: 0.1,
      lrMin: 0.01,
      warmupSteps: 15,
      warmupStart: 0.01,
      restart: { t0: 5, tMult: 2 },
    });
    expect(toStepSchedule({ kind: 'cosine', lrMax: 0.1 }, 7)).toEqual({
      kind: 'cosine',
      lrMax: 0.1,
      lrMin: 0,
      warmupSteps: 0,
      warmupStart: 0,
    });
  });

  it('fill the one-cycle defaults: lr_min = lr_max / 25, 30% rise, 10% final fall', () => {
    expect(withScheduleDefaults({ kind: 'one-cycle', lrMax: 0.5 })).toEqual({
      kind: 'one-cycle',
      lrMax: 0.5,
      lrMin: 0.02,
      riseFraction: 0.3,
      finalFraction: 0.1,
    });
    expect(toStepSchedule({ kind: 'one-cycle', lrMax: 0.5 }, 3)).toEqual({
      kind: 'one-cycle',
      lrMax: 0.5,
      lrMin: 0.02,
      rise: 0.3,
      final: 0.1,
    });
  });
});
