import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../src/core/options.js';
import { STRATEGIES } from '../../src/search/registry.js';
import { describeStrategyContract } from './contract.js';

// Every registered strategy, with its defaults and with options that exercise its other paths.
const VARIANTS: readonly { name: string; options: Record<string, unknown>; dedupes?: boolean }[] = [
  { name: 'random', options: {} },
  { name: 'regularized-evolution', options: { populationSize: 8, sampleSize: 3 } },
  { name: 'regularized-evolution', options: { populationSize: 8, sampleSize: 3, selection: 'pareto' } },
  { name: 'regularized-evolution', options: { populationSize: 8, sampleSize: 3, dedupe: false }, dedupes: false },
  { name: 'regularized-evolution', options: { populationSize: 8, sampleSize: 3, crossoverRate: 0.5 } },
  {
    name: 'regularized-evolution',
    options: { populationSize: 8, sampleSize: 3, crossoverRate: 1, selection: 'pareto' },
  },
  {
    name: 'regularized-evolution',
    options: { populationSize: 8, sampleSize: 3, crossoverRate: 1, dedupe: false },
    dedupes: false,
  },
  { name: 'reinforce', options: { batchSize: 3 } },
  { name: 'reinforce', options: { batchSize: 4, normalize: false, tanhConstant: 0, dedupe: false }, dedupes: false },
  { name: 'local-search', options: { initialSamples: 3 } },
  { name: 'local-search', options: { initialSamples: 3, move: 'best' } },
  { name: 'tpe', options: { startupTrials: 5 } },
  { name: 'tpe', options: { startupTrials: 5, multivariate: true } },
];

for (const v of VARIANTS) {
  const entry = STRATEGIES.find((s) => s.name === v.name);
  if (entry === undefined) throw new Error(`no strategy ${v.name}`);
  const options = resolveOptions(entry.options, v.options, v.name);
  describeStrategyContract(`${v.name} ${JSON.stringify(v.options)}`, (context) => entry.create(context, options), {
    dedupes: v.dedupes ?? true,
  });
}

describe('the strategy variants', () => {
  it('cover every registered strategy (docs/adding-a-strategy.md, step 4)', () => {
    expect(new Set(VARIANTS.map((v) => v.name))).toEqual(new Set(STRATEGIES.map((s) => s.name)));
  });
});
