import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { createStrategy } from '../../src/search/registry.js';
import { createSpace } from '../../src/space/spaces/index.js';
import { fakeAccuracy } from '../run/helpers.js';
import { Sim } from './sim.js';

const space = createSpace('nb201');
const objectives = [{ metric: 'validationAccuracy', direction: 'max' }] as const;
const keys = (samples: readonly unknown[]) => samples.map((s) => space.key(s as never)).sort();

describe('local search (White et al. 2021)', () => {
  it('after its random start, evaluates the neighbours of the best start (move: best), then of the best neighbour', () => {
    const strategy = createStrategy(
      'local-search',
      { space, rng: new Rng(4), objectives },
      { initialSamples: 5, move: 'best' },
    );
    const sim = new Sim(space, { concurrency: 1 }).evaluate(strategy, 5);
    const start = [...sim.trials].sort((a, b) => fakeAccuracy(b.key) - fakeAccuracy(a.key))[0]!;
    sim.evaluate(strategy, 24);
    expect(keys(sim.proposals.slice(5))).toEqual(keys(space.neighbours(start.sample as never)));
    const best = [...sim.trials.slice(5)].sort((a, b) => fakeAccuracy(b.key) - fakeAccuracy(a.key))[0]!;
    sim.evaluate(strategy, 5);
    if (fakeAccuracy(best.key) > fakeAccuracy(start.key)) {
      const next = sim.proposals.slice(29);
      for (const s of next) expect(keys(space.neighbours(best.sample as never))).toContain(space.key(s as never));
    }
  });

  it('moves at the first better neighbour (move: first)', () => {
    const strategy = createStrategy('local-search', { space, rng: new Rng(4), objectives }, { initialSamples: 5 });
    const sim = new Sim(space, { concurrency: 1 }).evaluate(strategy, 5);
    let center = [...sim.trials].sort((a, b) => fakeAccuracy(b.key) - fakeAccuracy(a.key))[0]!;
    for (let i = 0; i < 40; i++) {
      sim.evaluate(strategy, 1);
      const last = sim.trials.at(-1)!;
      expect(keys(space.neighbours(center.sample as never))).toContain(last.key);
      if (fakeAccuracy(last.key) > fakeAccuracy(center.key)) center = last;
    }
  });
});
