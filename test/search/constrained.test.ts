import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../src/core/options.js';
import { Rng } from '../../src/core/rng.js';
import { withConstraint } from '../../src/search/constrained.js';
import { STRATEGIES } from '../../src/search/registry.js';
import { estimateCost } from '../../src/space/cost/index.js';
import { budgetViolations } from '../../src/space/constraint.js';
import { createSpace } from '../../src/space/spaces/index.js';
import { Sim } from './sim.js';

const space = createSpace('nb201', { cells: 1, channels: 4 });
const cost = { inputShape: [8, 8, 3], classes: 10, batch: 8 } as const;
const params = (s: unknown) => estimateCost(space.freeze(s as never), cost).params.trainable;
// the median of a few hundred samples: about half the space is over budget
const sorted = Array.from({ length: 301 }, (_, i) => params(space.sample(new Rng(`b${i}`)))).sort((a, b) => a - b);
const budget = { maxParams: sorted[150] as number };

describe('the constraint filter around every strategy', () => {
  for (const entry of STRATEGIES) {
    it(`${entry.name} proposes only samples within the budget`, () => {
      const context = withConstraint(
        { space, rng: new Rng(1), objectives: [{ metric: 'validationAccuracy', direction: 'max' }] },
        budget,
        cost,
      );
      const options =
        entry.name === 'tpe'
          ? { startupTrials: 5 }
          : entry.name === 'regularized-evolution'
            ? { populationSize: 6, sampleSize: 3 }
            : entry.name === 'local-search'
              ? { initialSamples: 3 }
              : {};
      const strategy = entry.create(context, resolveOptions(entry.options, options, entry.name));
      const sim = new Sim(context.space, { concurrency: 2 }).run(strategy, 60);
      strategy.dispose?.();
      expect(sim.proposals.length).toBeGreaterThan(20);
      for (const p of sim.proposals)
        expect(budgetViolations(budget, estimateCost(space.freeze(p as never), cost))).toEqual([]);
    });
  }
});
