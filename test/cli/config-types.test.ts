import { describe, expect, it } from 'vitest';
import { defineConfig, type UserConfig } from '../../src/cli/config/index.js';

// `npx tsc --noEmit` checks this file: every `@ts-expect-error` must mark a real type error, so the
// config type rejects what validation would reject (and completes names and options in an editor).
const base = {
  name: 'typed',
  dataset: { name: 'mnist' },
  space: { name: 'nb201' },
  strategy: { name: 'random' },
  budget: { trials: 1 },
} as const satisfies UserConfig;

describe('UserConfig types', () => {
  it('accepts a full config and rejects wrong names, options and types at compile time', () => {
    const full = defineConfig({
      ...base,
      seed: 3,
      dataset: {
        name: 'cifar10',
        options: { dir: 'data' },
        subset: 100,
        validationFraction: 0.2,
        augment: { pad: 4, flip: true },
      },
      space: {
        name: 'macro',
        options: {
          stem: 'conv3x3',
          blocks: ['basic', 'separable'],
          kernels: [3],
          groups: [1, 32],
          dropPathRates: [0, 0.1],
          bnEpsilons: [1e-5],
        },
      },
      strategy: { name: 'regularized-evolution', options: { populationSize: 8, sampleSize: 2, selection: 'pareto' } },
      train: {
        epochs: 2,
        optimizer: { kind: 'adamw', weightDecay: 0.01 },
        schedule: { kind: 'one-cycle', lrMax: 0.01 },
        diagnostics: { gradients: true },
      },
      objectives: [
        { metric: 'validationAccuracy', direction: 'max' },
        { metric: 'macs', direction: 'min' },
      ],
      constraints: { maxMacs: 50e6 },
      workers: 1,
      keepModels: { best: 3 },
      storage: 'runs/x.sqlite',
    });
    expect(full.name).toBe('typed');

    // @ts-expect-error an unknown space
    defineConfig({ ...base, space: { name: 'nasnet' } });
    // @ts-expect-error an option of another space
    defineConfig({ ...base, space: { name: 'nb201', options: { layers: 3 } } });
    // @ts-expect-error an enum option outside its choices
    defineConfig({ ...base, space: { name: 'macro', options: { stem: 'vgg' } } });
    // @ts-expect-error a list of numbers written as strings
    defineConfig({ ...base, space: { name: 'macro', options: { dropPathRates: ['0.1'] } } });
    // @ts-expect-error a strategy option of the wrong type
    defineConfig({ ...base, strategy: { name: 'tpe', options: { gamma: '0.1' } } });
    // @ts-expect-error cifar10 needs its directory
    defineConfig({ ...base, dataset: { name: 'cifar10' } });
    // @ts-expect-error epochs is a number
    defineConfig({ ...base, train: { epochs: '1' } });
    // @ts-expect-error a misspelt field
    defineConfig({ ...base, budget: { trial: 3 } });
    // @ts-expect-error keepModels is 'all', 'none' or { best: k }
    defineConfig({ ...base, keepModels: 'some' });
  });
});
