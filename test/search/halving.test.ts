import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../src/core/options.js';
import { Rng } from '../../src/core/rng.js';
import type { Trial } from '../../src/core/trial.js';
import { halvingOptions, rungs, withSuccessiveHalving } from '../../src/search/halving.js';
import { createStrategy } from '../../src/search/registry.js';
import type { StrategyContext } from '../../src/search/strategy.js';
import { createSpace } from '../../src/space/spaces/index.js';
import { fakeAccuracy } from '../run/helpers.js';
import { describeStrategyContract } from './contract.js';
import { Sim } from './sim.js';

const space = createSpace('nb201');
const objectives = [{ metric: 'validationAccuracy', direction: 'max' }] as const;
const options = (given: Record<string, unknown> = {}) => resolveOptions(halvingOptions, given, 'successive halving');
const halving = (inner: string, context: StrategyContext, given: Record<string, unknown> = {}) =>
  withSuccessiveHalving(
    createStrategy(inner, context, inner === 'tpe' ? { startupTrials: 5 } : {}),
    context,
    options(given),
  );
const epochs = (t: Trial) => t.fidelity?.epochs;

describe('successive halving / Hyperband (ASHA, Li et al. 2020)', () => {
  it('rungs: min·ηᵏ up to max, epochs rounded', () => {
    expect(rungs(options())).toEqual([1, 3, 9, 27]);
    expect(rungs(options({ min: 2, max: 20 }))).toEqual([2, 6, 18, 20]);
    expect(rungs(options({ fidelity: 'dataFraction', min: 0.1, max: 1, eta: 3 })).map((r) => +r.toFixed(6))).toEqual([
      0.1, 0.3, 0.9, 1,
    ]);
    expect(() => rungs(options({ min: 5, max: 2 }))).toThrow('0 < min ≤ max, got (min=5, max=2)');
  });

  it('promotes a trial only from the top 1/η of its rung, each once, and new samples start at the lowest rung', () => {
    const s = halving('random', { space, rng: new Rng(1), objectives });
    const sim = new Sim(space, { concurrency: 3 });
    for (let i = 0; i < 200; i++) {
      const before = sim.trials.length;
      sim.step(s);
      if (sim.trials.length === before) continue;
      const t = sim.trials.at(-1) as Trial;
      const earlier = sim.trials.slice(0, -1);
      if (!earlier.some((e) => e.key === t.key)) {
        expect(epochs(t)).toBe(1);
        continue;
      }
      const from = [1, 3, 9, 27][[1, 3, 9, 27].indexOf(epochs(t) as number) - 1];
      const rung = earlier
        .filter((e) => epochs(e) === from && e.state === 'COMPLETE')
        .sort((a, b) => fakeAccuracy(b.key) - fakeAccuracy(a.key));
      expect(rung.slice(0, Math.floor(rung.length / 3)).map((e) => e.key)).toContain(t.key);
      expect(earlier.filter((e) => e.key === t.key && epochs(e) === epochs(t))).toEqual([]);
    }
    const counts = [1, 3, 9, 27].map((r) => sim.trials.filter((t) => epochs(t) === r).length);
    expect(counts[0]).toBeGreaterThan(counts[1] as number);
    expect(counts[1]).toBeGreaterThan(0);
    expect(counts[2]).toBeGreaterThan(0);
  });

  it('the inner strategy sees only the trial that introduced each sample', () => {
    const s = halving('random', { space, rng: new Rng(2), objectives });
    const sim = new Sim(space, { concurrency: 1 }).run(s, 120);
    const random = new Sim(space, { concurrency: 1 }).run(
      createStrategy('random', { space, rng: new Rng(2), objectives }),
      400,
    );
    const introduced = sim.proposals.filter(
      (p, i) => sim.proposals.findIndex((q) => space.key(q) === space.key(p)) === i,
    );
    expect(introduced.map((p) => space.key(p))).toEqual(
      random.proposals.slice(0, introduced.length).map((p) => space.key(p)),
    );
  });

  it("with continuation (the default), runs follow the top rung's schedule and a promotion continues the promoted trial", () => {
    const s = halving('random', { space, rng: new Rng(4), objectives });
    const sim = new Sim(space, { concurrency: 3 }).run(s, 150);
    let promotions = 0;
    for (const t of sim.trials) {
      expect(t.fidelity?.scheduleEpochs).toBe(epochs(t) === 27 ? undefined : 27);
      const below = [1, 3, 9, 27][[1, 3, 9, 27].indexOf(epochs(t) as number) - 1];
      if (below === undefined) {
        expect(t.continues).toBeUndefined();
        continue;
      }
      promotions++;
      const parent = sim.trials.find((u) => u.number === t.continues);
      expect([parent?.key, parent && epochs(parent), parent?.state]).toEqual([t.key, below, 'COMPLETE']);
    }
    expect(promotions).toBeGreaterThan(10);
  });

  it('without continuation, or over a data fraction, every run trains from scratch on its own schedule', () => {
    for (const given of [{ continuation: false }, { fidelity: 'dataFraction', min: 0.1, max: 1 }]) {
      const sim = new Sim(space, { concurrency: 3 }).run(
        halving('random', { space, rng: new Rng(4), objectives }, given),
        100,
      );
      expect(sim.trials.filter((t) => t.continues !== undefined || t.fidelity?.scheduleEpochs !== undefined)).toEqual(
        [],
      );
      expect(new Set(sim.trials.map((t) => t.key)).size).toBeLessThan(sim.trials.length); // there were promotions
    }
  });

  it('Hyperband brackets: new samples start at rungs 0, 1, … in turn', () => {
    const s = halving('random', { space, rng: new Rng(3), objectives }, { brackets: 3 });
    const sim = new Sim(space, { concurrency: 1 }).run(s, 60);
    const starts = sim.trials.filter((t, i) => sim.trials.findIndex((u) => u.key === t.key) === i).map(epochs);
    expect(starts.slice(0, 6)).toEqual([1, 3, 9, 1, 3, 9]);
  });
});

describeStrategyContract('successive halving around tpe', (context) => halving('tpe', context), {
  dedupes: false,
  spaces: [space],
});
describeStrategyContract(
  'hyperband around regularized-evolution',
  (context) =>
    withSuccessiveHalving(
      createStrategy('regularized-evolution', context, { populationSize: 6, sampleSize: 3 }),
      context,
      options({ brackets: 2, eta: 2, max: 8 }),
    ),
  { dedupes: false, spaces: [space] },
);
