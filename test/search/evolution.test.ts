import { describe, expect, it } from 'vitest';
import { OptionsError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { createStrategy } from '../../src/search/registry.js';
import { createSpace } from '../../src/space/spaces/index.js';
import { Sim } from './sim.js';

const space = createSpace('nb201');
const objectives = [{ metric: 'validationAccuracy', direction: 'max' }] as const;
const make = (options: Record<string, unknown>, seed = 1) =>
  createStrategy('regularized-evolution', { space, rng: new Rng(seed), objectives }, options);
const isNeighbour = (a: unknown, b: unknown) =>
  space.neighbours(a as never).some((n) => space.key(n) === space.key(b as never));

describe('regularized evolution (Real et al. 2019, Alg. 1)', () => {
  it('fills the population with the random samples random search would draw', () => {
    const evo = new Sim(space, { concurrency: 1 }).evaluate(make({ populationSize: 12, sampleSize: 4 }), 12).proposals;
    const random = new Sim(space, { concurrency: 1 }).evaluate(
      createStrategy('random', { space, rng: new Rng(1), objectives }),
      12,
    ).proposals;
    expect(evo.map((s) => space.key(s))).toEqual(random.map((s) => space.key(s)));
  });

  it('then proposes one-decision mutations of members of the last P finished trials (the oldest have left)', () => {
    const P = 6;
    const strategy = make({ populationSize: P, sampleSize: 3 });
    const sim = new Sim(space, { concurrency: 1 });
    sim.evaluate(strategy, P);
    for (let i = 0; i < 30; i++) {
      const population = [...sim.trials].sort((a, b) => (a.finishedAt ?? 0) - (b.finishedAt ?? 0)).slice(-P);
      sim.evaluate(strategy, 1);
      const child = sim.proposals.at(-1);
      expect(population.some((m) => isNeighbour(m.sample, child))).toBe(true);
    }
  });

  it('rejects a tournament larger than the population, naming both', () => {
    expect(() => make({ populationSize: 50, sampleSize: 80 })).toThrow(OptionsError);
    expect(() => make({ populationSize: 50, sampleSize: 80 })).toThrow(
      'sampleSize: must be ≤ populationSize (50), got 80',
    );
  });

  it('with selection by Pareto rank, proposes children of the front of accuracy vs parameters', () => {
    const strategy = createStrategy(
      'regularized-evolution',
      { space, rng: new Rng(3), objectives: [...objectives, { metric: 'params', direction: 'min' }] },
      { populationSize: 8, sampleSize: 8, selection: 'pareto' },
    );
    const sim = new Sim(space, { concurrency: 1 }).evaluate(strategy, 40);
    expect(new Set(sim.proposals.map((s) => space.key(s))).size).toBe(sim.proposals.length);
  });
});
