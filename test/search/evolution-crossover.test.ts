import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import type { Json } from '../../src/core/arch.js';
import { OptionsError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import type { Trial } from '../../src/core/trial.js';
import { createStrategy } from '../../src/search/registry.js';
import type { SearchSpace } from '../../src/space/search-space.js';
import { createSpace } from '../../src/space/spaces/index.js';
import { Sim } from './sim.js';

const objectives = [{ metric: 'validationAccuracy', direction: 'max' }] as const;
const make = (space: SearchSpace, options: Record<string, unknown>, seed: string | number = 1) =>
  createStrategy('regularized-evolution', { space, rng: new Rng(seed), objectives }, options);
const lastFinished = (trials: readonly Trial[], n: number) =>
  [...trials].sort((a, b) => (a.finishedAt ?? 0) - (b.finishedAt ?? 0)).slice(-n);

/** A fresh NB201 space whose crossover (the real one) is watched. */
function watchedSpace() {
  const space = createSpace('nb201');
  return { space, crossover: vi.spyOn(space as Required<SearchSpace>, 'crossover') };
}

describe('regularized evolution with crossover', () => {
  it('at crossoverRate 0 (the default) proposes exactly what mutation-only evolution proposed', () => {
    // Fingerprints of the proposals made before crossover existed (seed "fingerprint", 120 Sim steps,
    // two trials at once, every fifth trial failing); a changed Rng draw order changes them.
    const before: Record<string, string> = {
      'nb201 {"populationSize":8,"sampleSize":3}': '0ac290d8c3617ff3',
      'nb201 {"populationSize":8,"sampleSize":3,"selection":"pareto"}': 'aec4da4e0d579755',
      'nb201 {"populationSize":8,"sampleSize":3,"dedupe":false}': 'a799daee80c5ad2b',
      'darts {"populationSize":8,"sampleSize":3}': '84bd67616b88d45b',
      'darts {"populationSize":8,"sampleSize":3,"selection":"pareto"}': 'bc30150fb2c64949',
      'darts {"populationSize":8,"sampleSize":3,"dedupe":false}': '7643ff37c5b5fd22',
    };
    const two = [...objectives, { metric: 'params', direction: 'min' }] as const;
    for (const space of [createSpace('nb201'), createSpace('darts', { nodes: 3, layers: 3 })]) {
      for (const options of [
        { populationSize: 8, sampleSize: 3 },
        { populationSize: 8, sampleSize: 3, selection: 'pareto' },
        { populationSize: 8, sampleSize: 3, dedupe: false },
      ]) {
        for (const rate of [undefined, 0]) {
          const s = createStrategy(
            'regularized-evolution',
            { space, rng: new Rng('fingerprint'), objectives: two },
            rate === undefined ? options : { ...options, crossoverRate: rate },
          );
          const keys = new Sim(space, { concurrency: 2, failEvery: 5 }).run(s, 120).proposals.map((p) => space.key(p));
          expect(keys.length).toBe(61);
          const fingerprint = createHash('sha256').update(keys.join('\n')).digest('hex').slice(0, 16);
          expect(fingerprint, `${space.id} ${JSON.stringify(options)} crossoverRate ${rate}`).toBe(
            before[`${space.id} ${JSON.stringify(options)}`],
          );
        }
      }
    }
  });

  for (const dedupe of [true, false]) {
    it(`at crossoverRate 1 (dedupe ${dedupe}) mutates a crossover of two different members of the last P finished trials`, () => {
      const P = 8;
      const { space, crossover } = watchedSpace();
      const strategy = make(space, { populationSize: P, sampleSize: 3, crossoverRate: 1, dedupe });
      const sim = new Sim(space, { concurrency: 1 }).evaluate(strategy, P);
      expect(crossover).not.toHaveBeenCalled();
      let outsideOneMutation = 0;
      for (let i = 0; i < 60; i++) {
        const population = lastFinished(sim.trials, P).map((t) => t.key);
        const calls = crossover.mock.calls.length;
        sim.evaluate(strategy, 1);
        const child = sim.proposals.at(-1) as Json;
        expect(crossover.mock.calls.length).toBeGreaterThan(calls);
        for (const [a, b] of crossover.mock.calls.slice(calls)) {
          expect(population).toContain(space.key(a));
          expect(population).toContain(space.key(b));
          expect(space.key(b)).not.toBe(space.key(a));
        }
        const crossed = crossover.mock.results.at(-1)?.value as Json;
        expect(space.neighbours(crossed).map((n) => space.key(n))).toContain(space.key(child));
        const members = sim.trials.filter((t) => population.includes(t.key)).map((t) => t.sample);
        if (!members.some((m) => space.neighbours(m).some((n) => space.key(n) === space.key(child))))
          outsideOneMutation++;
      }
      // A mutant is always one decision from a member (rate 0); many crossover children are not.
      expect(outsideOneMutation).toBeGreaterThan(15);
    });
  }

  it('at crossoverRate 0.5 makes about half of the children by crossover', () => {
    const { space, crossover } = watchedSpace();
    const sim = new Sim(space, { concurrency: 1 }).evaluate(
      make(space, { populationSize: 10, sampleSize: 3, crossoverRate: 0.5, dedupe: false }),
      410,
    );
    expect(sim.proposals.length).toBe(410);
    expect(crossover.mock.calls.length).toBeGreaterThan(160);
    expect(crossover.mock.calls.length).toBeLessThan(240);
  });

  it('de-duplicates crossover children as it does mutants', () => {
    // A small population under strong selection converges: without dedupe, children repeat (30 of 300 here).
    const keys = (dedupe: boolean) => {
      const space = createSpace('nb201');
      const sim = new Sim(space, { concurrency: 1 }).evaluate(
        make(space, { populationSize: 4, sampleSize: 4, crossoverRate: 1, dedupe }, 'dedupe'),
        300,
      );
      return sim.proposals.map((p) => space.key(p));
    };
    const repeated = keys(false);
    expect(new Set(repeated).size).toBeLessThan(280);
    const distinct = keys(true);
    expect(distinct.length).toBe(300);
    expect(new Set(distinct).size).toBe(300);
  });

  it('rejects a rate outside 0..1, and a rate above 0 on a space without crossover, naming the option', () => {
    const space = createSpace('nb201');
    expect(() => make(space, { crossoverRate: 1.5 })).toThrow('crossoverRate: expected a number in 0..1, got 1.5');
    const noCrossover: SearchSpace = Object.assign(Object.create(space) as SearchSpace, { crossover: undefined });
    expect(() => make(noCrossover, { crossoverRate: 0.25 })).toThrow(OptionsError);
    expect(() => make(noCrossover, { crossoverRate: 0.25 })).toThrow(
      'crossoverRate: space "nb201" has no crossover, so it must be 0, got 0.25',
    );
    expect(() => make(noCrossover, { crossoverRate: 0 })).not.toThrow();
  });
});
