import { describe, expect, it } from 'vitest';
import { compareTrials, dominates, objectiveValues, paretoInsert } from '../../../src/cli/ui/objectives.js';
import { complete, failed, MULTI } from './fixtures.js';

const MAX = { metric: 'validationAccuracy', direction: 'max' } as const;
const MIN = { metric: 'params', direction: 'min' } as const;

describe('objectives', () => {
  it('reads every objective through the one lookup (test/search/objective.test.ts); nothing from a failed trial', () => {
    expect(objectiveValues(complete(0, 0.8, 1234), [MAX, MIN, { metric: 'macs', direction: 'min' }])).toEqual([0.8, 1234, 123_400]);
    expect(objectiveValues(failed(1, 'diverged'), [MAX])).toBeUndefined();
    expect(objectiveValues(complete(2, Number.NaN), [MIN, MAX])).toBeUndefined();
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
