import { describe, expect, it } from 'vitest';
import { OptionsError } from '../../src/core/errors.js';
import { resolveOptions } from '../../src/core/options.js';
import { Rng } from '../../src/core/rng.js';
import { STRATEGIES, createStrategy, findStrategy } from '../../src/search/registry.js';
import { createSpace } from '../../src/space/spaces/index.js';

const context = {
  space: createSpace('nb201'),
  rng: new Rng(0),
  objectives: [{ metric: 'validationAccuracy', direction: 'max' }],
} as const;

describe('the strategy registry', () => {
  it('lists the multi-trial strategies by name, each with a description and documented options', () => {
    expect(STRATEGIES.map((s) => s.name)).toEqual([
      'random',
      'regularized-evolution',
      'reinforce',
      'local-search',
      'tpe',
    ]);
    for (const s of STRATEGIES) {
      expect(s.description.length).toBeGreaterThan(10);
      for (const spec of Object.values(s.options)) expect(spec.description.length).toBeGreaterThan(5);
      expect(() => resolveOptions(s.options, {}, s.name)).not.toThrow();
    }
  });

  it('names the known strategies for an unknown one', () => {
    expect(() => findStrategy('bayes')).toThrow(OptionsError);
    try {
      findStrategy('bayes');
    } catch (e) {
      expect((e as OptionsError).hint).toBe('use one of: random, regularized-evolution, reinforce, local-search, tpe');
    }
  });

  it('checks options against the schema, every problem at once', () => {
    expect(() => createStrategy('tpe', context, { gamma: 2, candidates: 0, bogus: 1 })).toThrow(
      /strategy "tpe" has invalid options \(3 problems\):\n {2}• bogus: unknown option.*\n {2}• candidates: expected an integer ≥ 1, got 0\n {2}• gamma: expected a number in 0.001..1, got 2/s,
    );
    expect(() => createStrategy('regularized-evolution', context, { populationSize: 4 })).toThrow(
      'sampleSize: must be ≤ populationSize (4), got 10',
    );
  });
});
