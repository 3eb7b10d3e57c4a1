import { describe, expect, it } from 'vitest';
import { bracketOf, bracketShares, createPruner } from '../../../src/search/pruners/index.js';
import { curve } from './input.js';

describe('hyperband pruner', () => {
  it("shares trials between brackets as Optuna's allocation does", () => {
    expect(bracketShares(1, 9, 3)).toEqual([9, 5, 3]);
    expect(bracketShares(1, 3, 3)).toEqual([3, 2]);
    expect(bracketShares(1, 1, 3)).toEqual([1]);
    expect(bracketShares(1, 27, 3)).toEqual([27, 12, 6, 4]);
  });

  it("picks a trial's bracket from its number, cycling through the shares", () => {
    const shares = [9, 5, 3];
    const brackets = [0, 8, 9, 13, 14, 16, 17, 26, 31].map((n) => bracketOf(n, shares));
    expect(brackets).toEqual([0, 0, 1, 1, 2, 2, 0, 1, 2]);
  });

  it('runs successive halving with minEarlyStoppingRate = bracket, against the trials of its own bracket only', () => {
    const hb = createPruner('hyperband', { minResource: 1, reductionFactor: 3, maxResource: 9 });
    // Trials 0..8 (bracket 0) are far better; trial 9 is in bracket 1, whose rungs are at epochs 3 and 9.
    const bracket0 = Array.from({ length: 9 }, (_, n) => ({ number: n, curve: curve(0.9, 0.9, 0.9) }));
    const bracket1 = [
      { number: 10, curve: curve(0.2, 0.3, 0.6) },
      { number: 11, curve: curve(0.2, 0.3, 0.4) },
    ];
    const judge = (values: number[]) =>
      hb({
        direction: 'max',
        current: curve(...values),
        completed: [],
        number: 9,
        others: [...bracket0, ...bracket1],
        finalStep: 9,
      });
    expect(judge([0.1]).prune).toBe(false); // no rung at epoch 1 in bracket 1
    expect(judge([0.1, 0.1, 0.5])).toEqual({
      prune: true,
      rung: 0,
      why: 'hyperband bracket 1: rung 0 (epoch 3): 0.5000 is not in the top 1 of 3 trials there (the bar is 0.6000)',
    });
    expect(judge([0.1, 0.1, 0.6]).prune).toBe(false);
    // Trial 0 (bracket 0, rung 0 at epoch 1) is judged against bracket 0 only.
    expect(
      hb({ direction: 'max', current: curve(0.5), completed: [], number: 0, others: bracket0.slice(1), finalStep: 9 }),
    ).toMatchObject({ prune: true, rung: 0 });
  });

  it("takes maxResource 0 as the trial's own last epoch", () => {
    const hb = createPruner('hyperband', { reductionFactor: 3 });
    const input = (number: number) => ({
      direction: 'max' as const,
      current: curve(0.1),
      completed: [],
      number,
      others: [{ number: 5, curve: curve(0.9) }],
      finalStep: 3,
    });
    // Shares [3, 2]: trials 0..2 and 5 in bracket 0 (rung at epoch 1), 3 and 4 in bracket 1 (rung at epoch 3).
    expect(hb(input(0)).prune).toBe(true);
    expect(hb(input(3)).prune).toBe(false);
  });

  it('refuses bad options, naming them', () => {
    expect(() => createPruner('hyperband', { maxResource: -1 })).toThrow(/maxResource: expected/);
  });
});
