import { describe, expect, it } from 'vitest';
import { createPruner, percentileOf } from '../../../src/search/pruners/index.js';
import { curve, NO_CONTEXT } from './input.js';

const completed = [0.2, 0.4, 0.5, 0.6, 0.8].map((v) => curve(v));

describe('percentile pruner', () => {
  it('interpolates linearly between order statistics, like numpy', () => {
    expect(percentileOf([0.2, 0.4, 0.5, 0.6, 0.8], 75)).toBeCloseTo(0.6, 15);
    expect(percentileOf([1, 2, 3, 4], 25)).toBe(1.75);
    expect(percentileOf([3], 90)).toBe(3);
  });

  it('max: prunes below the 100 - p percentile of the complete trials (p = 25: the 75th, 0.6)', () => {
    const p = createPruner('percentile', { percentile: 25, nStartupTrials: 5 });
    expect(p({ ...NO_CONTEXT, direction: 'max', current: curve(0.59), completed }).prune).toBe(true);
    expect(p({ ...NO_CONTEXT, direction: 'max', current: curve(0.6), completed }).prune).toBe(false);
  });

  it('min: prunes above the p-th percentile (p = 25: 0.4)', () => {
    const p = createPruner('percentile', { percentile: 25, nStartupTrials: 5 });
    expect(p({ ...NO_CONTEXT, direction: 'min', current: curve(0.41), completed }).prune).toBe(true);
    expect(p({ ...NO_CONTEXT, direction: 'min', current: curve(0.4), completed }).prune).toBe(false);
  });

  it('percentile 50 decides as the median pruner', () => {
    const p = createPruner('percentile', { percentile: 50, nStartupTrials: 0 });
    const m = createPruner('median', { nStartupTrials: 0 });
    for (const v of [0.49, 0.5, 0.51])
      expect(p({ ...NO_CONTEXT, direction: 'max', current: curve(v), completed }).prune).toBe(
        m({ ...NO_CONTEXT, direction: 'max', current: curve(v), completed }).prune,
      );
  });

  it('refuses a percentile out of 0..100, naming the option', () => {
    expect(() => createPruner('percentile', { percentile: 101 })).toThrow(
      /pruner "percentile" has invalid options[\s\S]*percentile: expected a number in 0\.\.100, got 101/,
    );
  });
});
