import { describe, expect, it } from 'vitest';
import type { Trial } from '../../src/core/trial.js';
import {
  crowdedCompare,
  crowdingDistance,
  dominates,
  nonDominatedSort,
  paretoFront,
  paretoRanks,
} from '../../src/search/pareto.js';

describe('NSGA-II ranking (Deb et al. 2002)', () => {
  it('dominance: at least as good everywhere and better somewhere', () => {
    expect(dominates([2, 2], [1, 2])).toBe(true);
    expect(dominates([2, 2], [2, 2])).toBe(false);
    expect(dominates([3, 1], [1, 3])).toBe(false);
  });

  it('sorts points into fronts, best first', () => {
    //   0:(1,5) 1:(2,4) 2:(3,3) front 0; 3:(1,4) 4:(2,2) front 1 (dominated by 1 / 2); 5:(1,1) front 2
    const points = [
      [1, 5],
      [2, 4],
      [3, 3],
      [1, 4],
      [2, 2],
      [1, 1],
    ];
    expect(nonDominatedSort(points)).toEqual([[0, 1, 2], [3, 4], [5]]);
    expect(nonDominatedSort([])).toEqual([]);
  });

  it('crowding distance: infinite at the ends, the normalised side lengths of the cuboid inside', () => {
    const points = [
      [0, 4],
      [1, 3],
      [3, 1],
      [4, 0],
    ];
    // point 1: (3 − 0)/4 + (4 − 1)/4 = 1.5; point 2: (4 − 1)/4 + (3 − 0)/4 = 1.5
    expect(crowdingDistance(points, [0, 1, 2, 3])).toEqual([Infinity, 1.5, 1.5, Infinity]);
    const { rank, crowding } = paretoRanks([
      [0, 4],
      [1, 3],
      [0, 0],
    ]);
    expect(rank).toEqual([0, 0, 1]);
    expect(crowding).toEqual([Infinity, Infinity, Infinity]);
    expect(crowdedCompare({ rank: 0, crowding: 1 }, { rank: 1, crowding: Infinity })).toBeLessThan(0);
    expect(crowdedCompare({ rank: 1, crowding: 2 }, { rank: 1, crowding: 1 })).toBeLessThan(0);
  });

  it('the front of finished trials under objectives of either direction', () => {
    const trial = (n: number, acc: number, macs: number, state: Trial['state'] = 'COMPLETE'): Trial => ({
      id: n,
      number: n,
      sample: n,
      key: String(n),
      state,
      startedAt: 0,
      ...(state === 'COMPLETE'
        ? {
            outcome: {
              metrics: { acc },
              cost: {
                params: 0,
                paramsTotal: 0,
                macs,
                trainMemoryBytes: 0,
                inferenceMemoryBytes: 0,
                estimatedLatencyMs: 0,
              },
              epochs: [],
              seconds: 0,
            },
          }
        : {}),
    });
    const trials = [
      trial(0, 0.9, 100),
      trial(1, 0.8, 50),
      trial(2, 0.85, 120),
      trial(3, 0.95, 300),
      trial(4, 0.99, 1, 'FAILED'),
      trial(5, 0.7, 50),
    ];
    const front = paretoFront(trials, [
      { metric: 'acc', direction: 'max' },
      { metric: 'macs', direction: 'min' },
    ]);
    expect(front.map((t) => t.number)).toEqual([0, 1, 3]);
  });
});
