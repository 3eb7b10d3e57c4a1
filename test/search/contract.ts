import { describe, expect, it } from 'vitest';
import type { Json } from '../../src/core/arch.js';
import { Rng } from '../../src/core/rng.js';
import type { Strategy, StrategyContext } from '../../src/search/strategy.js';
import type { SearchSpace } from '../../src/space/search-space.js';
import { createSpace } from '../../src/space/spaces/index.js';
import { macroPresets } from '../../src/space/spaces/macro/index.js';
import { Sim, completed } from './sim.js';

/** The spaces every strategy is checked on: NB201 (independent decisions), macro (irrelevant and single-choice decisions), DARTS (constrained decisions). */
export const CONTRACT_SPACES: readonly SearchSpace[] = [
  createSpace('nb201'),
  createSpace('macro', { ...macroPresets.cifar, kernels: [3], strides: [2] }),
  createSpace('darts', { nodes: 3, layers: 3 }),
];

export type MakeStrategy = (context: StrategyContext) => Strategy;

export interface ContractOptions {
  /** The strategy never proposes an architecture already tried (default true). */
  readonly dedupes?: boolean;
  /** Asks per scenario (default 60). */
  readonly steps?: number;
  readonly spaces?: readonly SearchSpace[];
}

const OBJECTIVES = [
  { metric: 'validationAccuracy', direction: 'max' },
  { metric: 'params', direction: 'min' },
] as const;

const context = (space: SearchSpace, seed: string): StrategyContext => ({
  space,
  rng: new Rng(seed),
  objectives: OBJECTIVES,
});
const keysOf = (space: SearchSpace, samples: readonly Json[]): string[] => samples.map((s) => space.key(s));

/**
 * The contract of a multi-trial strategy (docs/conventions.md: *Ask and tell*, *One seed*, *One
 * contract suite per interface*; Optuna's sampler tests): samples always inside the space, `tell`
 * accepted after any ask (out of order, failures, trials it never proposed),
 * `wait` only while trials run, snapshot / restore mid-search gives the same future proposals, same
 * seed → same proposals, other seed → other proposals.
 */
export function describeStrategyContract(name: string, make: MakeStrategy, o: ContractOptions = {}): void {
  const steps = o.steps ?? 60;
  const dispose = (...s: Strategy[]) => s.forEach((x) => x.dispose?.());
  for (const space of o.spaces ?? CONTRACT_SPACES) {
    describe(`strategy contract: ${name} on ${space.id}`, () => {
      it('proposes only valid samples of the space, and waits only while trials run', () => {
        const s = make(context(space, 'a'));
        const sim = new Sim(space, { concurrency: 3, failEvery: 7 }).run(s, steps);
        dispose(s);
        expect(sim.proposals.length).toBeGreaterThan(steps / 3);
        for (const p of sim.proposals) expect(space.validate(p)).toEqual([]);
        if (o.dedupes ?? true) expect(new Set(keysOf(space, sim.proposals)).size).toBe(sim.proposals.length);
      });

      it('accepts tell after any ask: out of order, failed, and for trials it never proposed', () => {
        const s = make(context(space, 'b'));
        const sim = new Sim(space, { concurrency: 4, failEvery: 3 }).run(s, steps / 2);
        const foreign = space.sample(new Rng('foreign'));
        const key = space.key(foreign);
        s.tell(completed({ id: 9_999, number: 9_999, sample: foreign, key, startedAt: 0 }, 1e6));
        s.tell({
          id: 9_998,
          number: 9_998,
          sample: foreign,
          key,
          state: 'FAILED',
          reason: 'interrupted',
          startedAt: 0,
          finishedAt: 1e6,
        });
        sim.run(s, steps / 2);
        dispose(s);
        for (const p of sim.proposals) expect(space.validate(p)).toEqual([]);
      });

      it('continues exactly after snapshot → JSON → restore mid-search', () => {
        const a = make(context(space, 'c'));
        const sim = new Sim(space, { concurrency: 2, failEvery: 5 }).run(a, steps / 2);
        const state = JSON.parse(JSON.stringify(a.snapshot())) as Json;
        const b = make(context(space, 'some other seed'));
        b.restore(state);
        const [simA, simB] = [sim, sim.clone()];
        simA.run(a, steps / 2);
        simB.run(b, steps / 2);
        dispose(a, b);
        expect(simB.answers).toEqual(simA.answers);
        expect(keysOf(space, simB.proposals)).toEqual(keysOf(space, simA.proposals));
      });

      it('proposes the same samples for the same seed and others for another seed', () => {
        const proposals = (seed: string): string[] => {
          const s = make(context(space, seed));
          const sim = new Sim(space, { concurrency: 2 }).run(s, steps);
          dispose(s);
          return keysOf(space, sim.proposals);
        };
        expect(proposals('d')).toEqual(proposals('d'));
        expect(proposals('e')).not.toEqual(proposals('d'));
      });
    });
  }
}
