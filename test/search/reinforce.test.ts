import { describe, expect, it } from 'vitest';
import { loadTf } from '../../src/backend/tf.js';
import { Rng } from '../../src/core/rng.js';
import { Controller } from '../../src/search/reinforce/index.js';
import { createStrategy } from '../../src/search/registry.js';
import { createSpace } from '../../src/space/spaces/index.js';
import type { Nb201Sample } from '../../src/space/spaces/nb201/index.js';
import type { Trial } from '../../src/core/trial.js';
import { completed, Sim } from './sim.js';

const tf = loadTf();
const space = createSpace('nb201');
const objectives = [{ metric: 'validationAccuracy', direction: 'max' }] as const;
const shape = { choices: [5, 3, 4], hidden: 8, temperature: 2, tanhConstant: 1.5 };

describe('the controller RNN', () => {
  it('draws each decision from its softmax: log-probabilities of all sequences sum to one', () => {
    const c = new Controller(shape, Controller.initialValues(shape, new Rng(1)));
    const all = [0, 1, 2, 3, 4].flatMap((a) => [0, 1, 2].flatMap((b) => [0, 1, 2, 3].map((d) => [a, b, d])));
    const total = tf.tidy(() => tf.exp(c.logProbAndEntropy(c.params, all).logp).sum().dataSync()[0]);
    expect(total).toBeCloseTo(1, 5);
    // tanh clipping bounds every logit by C: no choice below e^−2C / k of the mass
    const { logp } = tf.tidy(() => ({ logp: Array.from(c.logProbAndEntropy(c.params, all).logp.dataSync()) }));
    expect(Math.min(...logp)).toBeGreaterThan(3 * Math.log(Math.exp(-3) / 5));
    c.dispose();
  });

  it('samples in proportion to its probabilities, from the Rng alone', () => {
    const c = new Controller(shape, Controller.initialValues(shape, new Rng(2)));
    const draws = c.sample(new Rng(3), 4000);
    expect(c.sample(new Rng(3), 4000)).toEqual(draws);
    const first = [0, 0, 0, 0, 0];
    for (const d of draws) first[d[0] as number]!++;
    const marginal = tf.tidy(() => {
      const all = [0, 1, 2, 3, 4].flatMap((a) => [0, 1, 2].flatMap((b) => [0, 1, 2, 3].map((d) => [a, b, d])));
      const probs = Array.from(tf.exp(c.logProbAndEntropy(c.params, all).logp).dataSync());
      return [0, 1, 2, 3, 4].map((a) => probs.slice(a * 12, a * 12 + 12).reduce((x, y) => x + y, 0));
    });
    for (let a = 0; a < 5; a++) expect((first[a] as number) / 4000).toBeCloseTo(marginal[a] as number, 1);
    c.dispose();
  });
});

describe('REINFORCE', () => {
  it('builds no tensors until it is asked, and leaks none over a search', () => {
    const before = tf.memory().numTensors;
    const s = createStrategy('reinforce', { space, rng: new Rng(1), objectives }, { batchSize: 3 });
    expect(tf.memory().numTensors).toBe(before);
    new Sim(space, { concurrency: 2 }).run(s, 40);
    s.restore(JSON.parse(JSON.stringify(s.snapshot())));
    new Sim(space, { concurrency: 2 }).run(s, 10);
    s.dispose?.();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('learns: proposals drift toward what scores (here, the number of 3×3 convolutions)', () => {
    const convs = (s: Nb201Sample) => [...s.node1, ...s.node2, ...s.node3].filter((op) => op === 'nor_conv_3x3').length;
    const strategy = createStrategy(
      'reinforce',
      { space, rng: new Rng(7), objectives: [{ metric: 'convs', direction: 'max' }] },
      { hidden: 16 },
    );
    const trials = [];
    for (let n = 0; n < 90; n++) {
      const p = strategy.ask({ trials, running: 0 });
      if (p.kind !== 'propose') throw new Error(p.kind);
      const cost = {
        params: 0,
        paramsTotal: 0,
        macs: 0,
        trainMemoryBytes: 0,
        inferenceMemoryBytes: 0,
        estimatedLatencyMs: 0,
      };
      const t = {
        id: n,
        number: n,
        sample: p.sample,
        key: space.key(p.sample),
        state: 'COMPLETE' as const,
        startedAt: n,
        finishedAt: n,
        outcome: { metrics: { convs: convs(p.sample as Nb201Sample) }, cost, epochs: [], seconds: 0 },
      };
      trials.push(t);
      strategy.tell(t);
    }
    strategy.dispose?.();
    const mean = (xs: readonly { outcome: { metrics: { convs: number } } }[]) =>
      xs.reduce((a, t) => a + t.outcome.metrics.convs, 0) / xs.length;
    // uniform samples average 1.2
    expect(mean(trials.slice(0, 20))).toBeLessThan(2);
    expect(mean(trials.slice(-30))).toBeGreaterThan(3);
  });

  it('drops a PRUNED trial from its batch without a reward: the update learns from the scored members only', () => {
    const s = createStrategy('reinforce', { space, rng: new Rng(3), objectives }, { batchSize: 2 });
    const trials: Trial[] = [];
    for (let number = 0; number < 2; number++) {
      const proposal = s.ask({ trials, running: number });
      if (proposal.kind !== 'propose') throw new Error(`expected a proposal, got ${proposal.kind}`);
      trials.push({
        id: number + 1,
        number,
        sample: proposal.sample,
        key: space.key(proposal.sample),
        state: 'RUNNING',
        startedAt: 0,
      });
    }
    const [first, second] = trials as [Trial, Trial];
    const scored = completed(first, 1);
    const pruned: Trial = {
      ...second,
      state: 'PRUNED',
      message: 'pruned at epoch 1: validationAccuracy 0.1 (median: …)',
    };
    s.tell(scored);
    s.tell(pruned);
    const batch = (s.snapshot() as { batch: { reward: number | null; failed: boolean }[] }).batch;
    expect(batch.map((e) => [e.reward, e.failed])).toEqual([
      [scored.outcome?.metrics.validationAccuracy, false],
      [null, true],
    ]);
    s.ask({ trials: [scored, pruned], running: 0 }); // the batch is full: one update, on the scored member alone
    // The first update's baseline is the mean reward of its members, here the scored one's alone.
    expect((s.snapshot() as { baseline: number | null }).baseline).toBe(scored.outcome?.metrics.validationAccuracy);
    s.dispose?.();
  });
});
