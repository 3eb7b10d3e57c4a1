import { describe, expect, it } from 'vitest';
import { createPruner } from '../../../src/search/pruners/index.js';
import { curve, numbered } from './input.js';

const input = (
  current: ReturnType<typeof curve>,
  others: readonly ReturnType<typeof curve>[],
  direction: 'max' | 'min' = 'max',
) => ({
  direction,
  current,
  completed: [],
  number: others.length,
  others: numbered(others),
  finalStep: 9,
});

describe('successive-halving pruner (η = 3, minResource 1: rungs at epochs 1, 3, 9)', () => {
  const sh = createPruner('successive-halving', { reductionFactor: 3 });
  /** Five trials that reached epoch 1 with 0.1 … 0.5. */
  const five = [0.1, 0.2, 0.3, 0.4, 0.5].map((v) => curve(v));

  it('keeps a trial in the top 1/η of the trials at the rung, itself included (ties kept), prunes the others with the rung', () => {
    // 6 values at epoch 1, top 2 kept: the bar is the 2nd best of them.
    expect(sh(input(curve(0.4), five))).toEqual({ prune: false });
    expect(sh(input(curve(0.39), five))).toEqual({
      prune: true,
      rung: 0,
      why: 'successive-halving: rung 0 (epoch 1): 0.3900 is not in the top 2 of 6 trials there (the bar is 0.4000)',
    });
  });

  it('with fewer than η trials at a rung, keeps only the best', () => {
    expect(sh(input(curve(0.1), [])).prune).toBe(false);
    expect(sh(input(curve(0.55), [curve(0.5), curve(0.6)])).prune).toBe(true);
    expect(sh(input(curve(0.6), [curve(0.5), curve(0.6)])).prune).toBe(false);
  });

  it('judges only at rung epochs, with the latest value, against the trials that reached that epoch', () => {
    expect(sh(input(curve(0.5, 0), five)).prune).toBe(false); // epoch 2 is no rung
    const others = [curve(0.1), curve(0.2, 0.3, 0.6), curve(0.3, 0.4, 0.7), curve(0.5, 0.6, 0.65)];
    // At epoch 3: 0.6, 0.7, 0.65 and its own 0.62; the trial pruned at epoch 1 did not get there.
    expect(sh(input(curve(0.6, 0.6, 0.62), others))).toEqual({
      prune: true,
      rung: 1,
      why: 'successive-halving: rung 1 (epoch 3): 0.6200 is not in the top 1 of 4 trials there (the bar is 0.7000)',
    });
    expect(sh(input(curve(0.6, 0.6, 0.7), others)).prune).toBe(false);
  });

  it('for min, keeps the lowest 1/η', () => {
    expect(sh(input(curve(0.2), five, 'min')).prune).toBe(false);
    expect(sh(input(curve(0.21), five, 'min'))).toMatchObject({ prune: true, rung: 0 });
  });

  it('prunes a NaN value at a rung, and ignores NaN values of the others', () => {
    expect(sh(input(curve(Number.NaN), five))).toEqual({
      prune: true,
      rung: 0,
      why: 'successive-halving: rung 0 (epoch 1): no finite value',
    });
    expect(sh(input(curve(0.3), [curve(Number.NaN), curve(Number.NaN), curve(0.2)])).prune).toBe(false);
  });

  it('places rung r at minResource · η^(minEarlyStoppingRate + r)', () => {
    const late = createPruner('successive-halving', { minResource: 2, reductionFactor: 2, minEarlyStoppingRate: 1 });
    const better = [curve(0.9, 0.9, 0.9, 0.9)];
    expect(late(input(curve(0), better)).prune).toBe(false); // epochs 1..3: no rung
    expect(late(input(curve(0, 0), better)).prune).toBe(false);
    expect(late(input(curve(0, 0, 0), better)).prune).toBe(false);
    expect(late(input(curve(0, 0, 0, 0), better))).toMatchObject({ prune: true, rung: 0 }); // 2 · 2^1 = 4
  });

  it('refuses bad options, naming them', () => {
    expect(() => createPruner('successive-halving', { reductionFactor: 1 })).toThrow(/reductionFactor: expected/);
    expect(() => createPruner('successive-halving', { minResource: 0.5 })).toThrow(/minResource: expected/);
  });
});
