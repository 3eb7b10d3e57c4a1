import { describe, expect, it } from 'vitest';
import { compareTrials, paretoInsert } from '../../../src/cli/ui/objectives.js';
import { complete, failed, MULTI } from './fixtures.js';

const MAX = { metric: 'validationAccuracy', direction: 'max' } as const;
const MIN = { metric: 'params', direction: 'min' } as const;

// Values, scores and domination are the search module's (test/search/objective.test.ts, pareto.test.ts).
describe('the dashboard objectives', () => {
  it('sorts best first and breaks ties by trial number', () => {
    const trials = [complete(3, 0.5, 10), complete(1, 0.7, 30), complete(2, 0.7, 20)];
    expect([...trials].sort(compareTrials(MAX)).map((t) => t.number)).toEqual([1, 2, 3]);
    expect([...trials].sort(compareTrials(MIN)).map((t) => t.number)).toEqual([3, 2, 1]);
  });

  it('inserts into the front: dominated trials stay out, dominated members leave', () => {
    let front = paretoInsert([], complete(0, 0.7, 500), MULTI.objectives);
    front = paretoInsert(front, complete(1, 0.6, 600), MULTI.objectives);
    expect(front.map((t) => t.number)).toEqual([0]);
    front = paretoInsert(front, complete(2, 0.5, 100), MULTI.objectives);
    front = paretoInsert(front, complete(3, 0.75, 450), MULTI.objectives);
    expect(front.map((t) => t.number)).toEqual([3, 2]);
  });

  it('leaves the front unchanged for a trial missing a value (a failed one, a NaN)', () => {
    const front = paretoInsert([], complete(0, 0.7, 500), MULTI.objectives);
    expect(paretoInsert(front, failed(1, 'diverged'), MULTI.objectives)).toBe(front);
    expect(paretoInsert(front, complete(2, Number.NaN, 100), MULTI.objectives)).toBe(front);
  });
});
