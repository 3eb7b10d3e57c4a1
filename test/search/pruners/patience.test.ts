import { describe, expect, it } from 'vitest';
import { createPruner, findPruner, PRUNERS } from '../../../src/search/pruners/index.js';
import { curve, NO_CONTEXT } from './input.js';

describe('patience pruner', () => {
  const p = createPruner('patience', { patience: 2 });

  it('prunes after `patience` epochs without improvement, not before', () => {
    expect(p({ ...NO_CONTEXT, direction: 'max', current: curve(0.1, 0.2, 0.2), completed: [] }).prune).toBe(false); // one epoch without improvement
    expect(p({ ...NO_CONTEXT, direction: 'max', current: curve(0.1, 0.2, 0.2, 0.2), completed: [] })).toEqual({
      prune: true,
      why: 'patience: best 0.2000 of the last 2 epochs (to epoch 4) does not improve on 0.2000 by more than 0',
    });
    expect(p({ ...NO_CONTEXT, direction: 'max', current: curve(0.1, 0.2, 0.2, 0.21), completed: [] }).prune).toBe(
      false,
    );
    expect(p({ ...NO_CONTEXT, direction: 'max', current: curve(0.5, 0.4), completed: [] }).prune).toBe(false); // too short to judge
  });

  it('counts an improvement only above minDelta', () => {
    const strict = createPruner('patience', { patience: 1, minDelta: 0.01 });
    expect(strict({ ...NO_CONTEXT, direction: 'max', current: curve(0.5, 0.51), completed: [] }).prune).toBe(true);
    expect(strict({ ...NO_CONTEXT, direction: 'max', current: curve(0.5, 0.5101), completed: [] }).prune).toBe(false);
    expect(strict({ ...NO_CONTEXT, direction: 'min', current: curve(0.5, 0.49), completed: [] }).prune).toBe(true);
    expect(strict({ ...NO_CONTEXT, direction: 'min', current: curve(0.5, 0.4899), completed: [] }).prune).toBe(false);
  });
});

describe('pruner registry', () => {
  it('lists every pruner, and names the known ones for an unknown name', () => {
    expect(PRUNERS.map((e) => e.name)).toEqual([
      'median',
      'percentile',
      'patience',
      'successive-halving',
      'hyperband',
      'curve',
    ]);
    expect(() => findPruner('asha')).toThrow('unknown pruner "asha"');
    expect(() => createPruner('median', { nStartup: 3 })).toThrow(
      /nStartup: unknown option \(known: nStartupTrials, nWarmupSteps, intervalSteps\)/,
    );
  });
});
