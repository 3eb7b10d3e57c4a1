import { describe, expect, it } from 'vitest';
import { createPruner } from '../../../src/search/pruners/index.js';
import { curve, NO_CONTEXT } from './input.js';

/** Five complete curves whose values at epoch 2 are 0.2, 0.4, 0.5, 0.6, 0.8 (median 0.5). */
const completed = [
  curve(0.1, 0.2, 0.3),
  curve(0.3, 0.4, 0.5),
  curve(0.4, 0.5, 0.6),
  curve(0.5, 0.6, 0.7),
  curve(0.7, 0.8, 0.9),
];

describe('median pruner', () => {
  const median = createPruner('median', { nStartupTrials: 5 });

  it('prunes a best-so-far strictly below the median at the same epoch, keeps one equal to it', () => {
    expect(median({ ...NO_CONTEXT, direction: 'max', current: curve(0.3, 0.49), completed }).prune).toBe(true);
    expect(median({ ...NO_CONTEXT, direction: 'max', current: curve(0.3, 0.5), completed }).prune).toBe(false);
    // The best so far counts, not the latest value: 0.55 at epoch 1 beats the median at epoch 2.
    expect(median({ ...NO_CONTEXT, direction: 'max', current: curve(0.55, 0.1), completed }).prune).toBe(false);
  });

  it('says why, with the median and the number of trials', () => {
    expect(median({ ...NO_CONTEXT, direction: 'max', current: curve(0.3, 0.49), completed })).toEqual({
      prune: true,
      why: 'median: best 0.4900 is below 0.5000, the median of 5 complete trials at epoch 2',
    });
  });

  it('for min, prunes a best above the median', () => {
    expect(median({ ...NO_CONTEXT, direction: 'min', current: curve(0.9, 0.51), completed }).prune).toBe(true);
    expect(median({ ...NO_CONTEXT, direction: 'min', current: curve(0.9, 0.5), completed }).prune).toBe(false);
  });

  it('waits for nStartupTrials complete trials', () => {
    expect(
      median({ ...NO_CONTEXT, direction: 'max', current: curve(0, 0), completed: completed.slice(0, 4) }).prune,
    ).toBe(false);
    expect(median({ ...NO_CONTEXT, direction: 'max', current: curve(0, 0), completed }).prune).toBe(true);
  });

  it('does not judge before nWarmupSteps, then every intervalSteps from it', () => {
    const warm = createPruner('median', { nStartupTrials: 0, nWarmupSteps: 2, intervalSteps: 2 });
    expect(warm({ ...NO_CONTEXT, direction: 'max', current: curve(0), completed }).prune).toBe(false); // epoch 1 < 2
    expect(warm({ ...NO_CONTEXT, direction: 'max', current: curve(0, 0), completed }).prune).toBe(true); // epoch 2: (2 - 2) % 2 = 0
    expect(warm({ ...NO_CONTEXT, direction: 'max', current: curve(0, 0, 0), completed }).prune).toBe(false); // epoch 3: (3 - 2) % 2 = 1
  });

  it('keeps a trial no complete trial reached the epoch of, and prunes a NaN curve', () => {
    expect(median({ ...NO_CONTEXT, direction: 'max', current: curve(0, 0, 0, 0), completed }).prune).toBe(false);
    expect(median({ ...NO_CONTEXT, direction: 'max', current: curve(Number.NaN), completed })).toEqual({
      prune: true,
      why: 'median: no finite value up to epoch 1',
    });
  });

  it('takes an even number of values as the mean of the middle two', () => {
    const four = completed.slice(1); // 0.4, 0.5, 0.6, 0.8 at epoch 2: median 0.55
    const p = createPruner('median', { nStartupTrials: 4 });
    expect(p({ ...NO_CONTEXT, direction: 'max', current: curve(0, 0.549), completed: four }).prune).toBe(true);
    expect(p({ ...NO_CONTEXT, direction: 'max', current: curve(0, 0.55), completed: four }).prune).toBe(false);
  });
});
