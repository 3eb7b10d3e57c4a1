import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { CategoricalParzen } from '../../src/search/parzen.js';
import { createStrategy } from '../../src/search/registry.js';
import { ageWeights } from '../../src/search/tpe.js';
import { createSpace } from '../../src/space/spaces/index.js';
import type { Nb201Sample } from '../../src/space/spaces/nb201/index.js';
import { Sim } from './sim.js';

const all = (choices: number[]): number[][] =>
  choices.reduce<number[][]>((acc, k) => acc.flatMap((v) => Array.from({ length: k }, (_, c) => [...v, c])), [[]]);

describe('the categorical Parzen estimator (Optuna kernels)', () => {
  it('puts priorWeight/(n+1) on every choice plus 1 on the observed one, and mixes in a uniform prior', () => {
    const p = new CategoricalParzen([3], [[1]], [1], 1);
    // kernel: (0.5 + [c = 1]) / 2.5 = 0.2, 0.6, 0.2; prior 1/3 each; weights 1/2, 1/2
    const density = [0, 1, 2].map((c) => Math.exp(p.logPdf([c], false)));
    expect(density[0]).toBeCloseTo(0.5 * 0.2 + 0.5 / 3, 12);
    expect(density[1]).toBeCloseTo(0.5 * 0.6 + 0.5 / 3, 12);
    expect(Math.exp(p.logPdf([1], true))).toBeCloseTo(density[1] as number, 12);
  });

  it('is a distribution over index vectors, jointly and as a product of marginals', () => {
    const p = new CategoricalParzen(
      [2, 3, 2],
      [
        [0, 2, 1],
        [1, 2, 1],
        [0, 0, 0],
      ],
      [1, 0.5, 1],
      1,
    );
    for (const joint of [true, false])
      expect(all([2, 3, 2]).reduce((acc, x) => acc + Math.exp(p.logPdf(x, joint)), 0)).toBeCloseTo(1, 12);
  });

  it('draws in proportion to its density', () => {
    const p = new CategoricalParzen([3], [[2], [2]], [1, 1], 0.3);
    const rng = new Rng(1);
    const counts = [0, 0, 0];
    for (let i = 0; i < 20_000; i++) counts[p.sample(rng, true)[0] as number]!++;
    for (let c = 0; c < 3; c++) expect((counts[c] as number) / 20_000).toBeCloseTo(Math.exp(p.logPdf([c], true)), 2);
  });

  it("weights observations as Optuna's default_weights: 1 for the newest 25, a ramp from 1/n before", () => {
    expect(ageWeights(3)).toEqual([1, 1, 1]);
    const w = ageWeights(30);
    expect(w.slice(0, 5).map((x) => +x.toFixed(6))).toEqual(
      [1 / 30, 1 / 30 + 29 / 30 / 4, 1 / 30 + 29 / 30 / 2, 1 / 30 + (3 * 29) / 120, 1].map((x) => +x.toFixed(6)),
    );
    expect(w.slice(5)).toEqual(Array(25).fill(1));
  });
});

describe('TPE', () => {
  const space = createSpace('nb201');
  const convs = (s: Nb201Sample) => [...s.node1, ...s.node2, ...s.node3].filter((op) => op === 'nor_conv_3x3').length;

  it('starts with the same random samples as random search, then models', () => {
    const keys = (name: string) =>
      new Sim(space, { concurrency: 1 })
        .evaluate(
          createStrategy(
            name,
            { space, rng: new Rng(5), objectives: [{ metric: 'validationAccuracy', direction: 'max' }] },
            name === 'tpe' ? { startupTrials: 8 } : {},
          ),
          40,
        )
        .proposals.map((p) => space.key(p));
    const [tpe, random] = [keys('tpe'), keys('random')];
    expect(tpe.slice(0, 8)).toEqual(random.slice(0, 8));
    expect(tpe.slice(8)).not.toEqual(random.slice(8));
  });

  it('proposes what the good trials have in common: more 3×3 convolutions when they score', () => {
    const objectives = [{ metric: 'convs', direction: 'max' }] as const;
    const strategy = createStrategy('tpe', { space, rng: new Rng(2), objectives }, {});
    const sim = new Sim(space, { concurrency: 1 });
    // score = number of 3×3 conv edges, through a table-like outcome metric
    for (let i = 0; i < 60; i++) {
      const p = strategy.ask({ trials: sim.trials, running: 0 });
      if (p.kind !== 'propose') throw new Error(p.kind);
      const n = sim.trials.length;
      const t = {
        id: n,
        number: n,
        sample: p.sample,
        key: space.key(p.sample),
        state: 'COMPLETE' as const,
        startedAt: n,
        finishedAt: n,
        outcome: {
          metrics: { convs: convs(p.sample as Nb201Sample) },
          cost: {
            params: 0,
            paramsTotal: 0,
            macs: 0,
            trainMemoryBytes: 0,
            inferenceMemoryBytes: 0,
            estimatedLatencyMs: 0,
          },
          epochs: [],
          seconds: 0,
        },
      };
      sim.trials.push(t);
      strategy.tell(t);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const scores = sim.trials.map((t) => t.outcome?.metrics.convs ?? 0);
    // uniform samples average 6 · 1/5 = 1.2 such edges
    expect(mean(scores.slice(0, 10))).toBeLessThan(2.5);
    expect(mean(scores.slice(40))).toBeGreaterThan(3);
  });
});
