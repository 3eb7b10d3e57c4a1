import { describe, expect, it } from 'vitest';
import type { Trial, TrialOutcome } from '../../src/core/trial.js';
import { metricOf, scoreOf, scoresOf } from '../../src/search/objective.js';

const OUTCOME: TrialOutcome = {
  metrics: { validationAccuracy: 0.75, validationLoss: Number.NaN, params: 7 },
  cost: {
    params: 1234,
    paramsTotal: 1300,
    macs: 56_000,
    trainMemoryBytes: 4096,
    inferenceMemoryBytes: 512,
    estimatedLatencyMs: 0.25,
    measuredLatencyMs: Number.POSITIVE_INFINITY,
  },
  epochs: [],
  seconds: 3,
};
const trial = (state: Trial['state'], outcome: TrialOutcome | null = OUTCOME): Trial => ({
  id: 1,
  number: 0,
  sample: {},
  key: '{}',
  state,
  startedAt: 0,
  ...(outcome === null ? {} : { outcome }),
});

describe('metricOf: the one lookup of a trial objective value', () => {
  it('reads outcome metrics, then cost figures; a metric of the same name wins', () => {
    const t = trial('COMPLETE');
    expect([
      metricOf(t, 'validationAccuracy'),
      metricOf(t, 'macs'),
      metricOf(t, 'estimatedLatencyMs'),
      metricOf(t, 'params'),
    ]).toEqual([0.75, 56_000, 0.25, 7]);
  });

  it('is undefined for a name it has not, a value that is not finite, and a trial that is not COMPLETE', () => {
    const t = trial('COMPLETE');
    expect([
      metricOf(t, 'nope'),
      metricOf(t, 'validationLoss'),
      metricOf(t, 'measuredLatencyMs'),
      metricOf(t, 'compiledLatencyMs'),
    ]).toEqual([undefined, undefined, undefined, undefined]);
    expect(
      ['FAILED', 'PRUNED', 'RUNNING'].map((s) => metricOf(trial(s as Trial['state']), 'validationAccuracy')),
    ).toEqual([undefined, undefined, undefined]);
    expect(metricOf(trial('COMPLETE', null), 'validationAccuracy')).toBeUndefined();
  });

  it('scores larger-is-better: minimised objectives negated, all or nothing for several', () => {
    const t = trial('COMPLETE');
    expect(scoreOf(t, { metric: 'macs', direction: 'min' })).toBe(-56_000);
    expect(
      scoresOf(t, [
        { metric: 'validationAccuracy', direction: 'max' },
        { metric: 'macs', direction: 'min' },
      ]),
    ).toEqual([0.75, -56_000]);
    expect(
      scoresOf(t, [
        { metric: 'validationAccuracy', direction: 'max' },
        { metric: 'validationLoss', direction: 'min' },
      ]),
    ).toBeUndefined();
  });
});
