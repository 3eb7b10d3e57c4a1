import { describe, expect, it } from 'vitest';
import { compareTrials, dominates, objectiveValue, paretoInsert } from '../../../src/cli/ui/objectives.js';
import { complete, failed, MULTI } from './fixtures.js';

const MAX = { metric: 'validationAccuracy', direction: 'max' } as const;
const MIN = { metric: 'params', direction: 'min' } as const;

describe('objectives', () => {
  it('reads metrics first, then cost figures; nothing from a failed trial', () => {
    const t = complete(0, 0.8, 1234);
    expect([objectiveValue(t, 'validationAccuracy'), objectiveValue(t, 'params'), objectiveValue(t, 'macs'), objectiveValue(t, 'nope')]).toEqual([0.8, 1234, 123_400, undefined]);
    expect(objectiveValue(failed(1, 'diverged'), 'validationAccuracy')).toBeUndefined();
    expect(objectiveValue(complete(2, Number.NaN), 'validationAccuracy')).toBeUndefined();
  });

  it('sorts best first and breaks ties by trial number', () => {
    const trials = [complete(3, 0.5, 10), complete(1, 0.7, 30), complete(2, 0.7, 20)];
    expect([...trials].sort(compareTrials(MAX)).map((t) => t.number)).toEqual([1, 2, 3]);
    expect([...trials].sort(compareTrials(MIN)).map((t) => t.number)).toEqual([3, 2, 1]);
  });

  it('dominates only when no worse on all objectives and better on one', () => {
    expect(dominates([0.8, 100], [0.7, 100], [MAX, MIN])).toBe(true);
    expect(dominates([0.8, 100], [0.8, 100], [MAX, MIN])).toBe(false);
    expect(dominates([0.8, 200], [0.7, 100], [MAX, MIN])).toBe(false);
  });

  it('inserts into the front: dominated trials stay out, dominated members leave', () => {
    let front = paretoInsert([], complete(0, 0.7, 500), MULTI.objectives);
    front = paretoInsert(front, complete(1, 0.6, 600), MULTI.objectives);
    expect(front.map((t) => t.number)).toEqual([0]);
    front = paretoInsert(front, complete(2, 0.5, 100), MULTI.objectives);
    front = paretoInsert(front, complete(3, 0.75, 450), MULTI.objectives);
    expect(front.map((t) => t.number)).toEqual([3, 2]);
  });
});
