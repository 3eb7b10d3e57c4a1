import { describe, expect, it } from 'vitest';
import { OptionsError, UserError } from '../../../src/core/errors.js';
import { Rng } from '../../../src/core/rng.js';
import { estimateCost } from '../../../src/space/cost/index.js';
import { SPACES, createSpace, findSpace } from '../../../src/space/spaces/index.js';

describe('space registry', () => {
  it('lists the four spaces of the issue, each with a description and option defaults', () => {
    expect(SPACES.map((s) => s.name)).toEqual(['nb201', 'darts', 'macro', 'layerwise']);
    for (const entry of SPACES) {
      expect(entry.description.length).toBeGreaterThan(0);
      for (const [key, spec] of Object.entries(entry.options))
        expect(spec.default, `${entry.name}.${key} has no default`).toBeDefined();
    }
  });

  it('creates every space from its defaults, with the id of its entry', () => {
    for (const entry of SPACES) {
      const space = createSpace(entry.name);
      expect(space.id).toBe(entry.name);
      expect(space.validate(space.sample(new Rng(1)))).toEqual([]);
    }
  });

  it('builds nb201 with its default network (N = 5, C = 16) and honours options', () => {
    const smallest = (o: Record<string, unknown>): number =>
      estimateCost(
        createSpace('nb201', o).freeze({ node1: ['none'], node2: ['none', 'none'], node3: ['none', 'none', 'none'] }),
        { inputShape: [32, 32, 3], classes: 10, batch: 1 },
      ).params.trainable;
    expect(smallest({})).toBe(73_306);
    expect(createSpace('nb201').size()).toBe(15_625n);
    expect(smallest({ channels: 8, cells: 1 })).toBe(
      3 * 8 * 9 +
        16 +
        (9 * 8 * 16 + 32 + 9 * 16 * 16 + 32 + 8 * 16) +
        (9 * 16 * 32 + 64 + 9 * 32 * 32 + 64 + 16 * 32) +
        64 +
        330,
    );
  });

  it('builds layerwise with 12 layers by default and takes the ops subset', () => {
    expect(createSpace('layerwise').dimensions().length).toBe(12 + 66);
    expect(createSpace('layerwise', { layers: 6, reductions: [1, 3], ops: ['conv3x3', 'maxpool3x3'] }).size()).toBe(
      2n ** 6n * 2n ** 15n,
    );
  });

  it('names the known spaces for an unknown name', () => {
    expect(() => findSpace('nasbench101')).toThrow(UserError);
    expect(() => createSpace('nasbench101')).toThrow(
      'unknown search space "nasbench101"; known: nb201, darts, macro, layerwise',
    );
  });

  it('lists every bad option at once', () => {
    expect(() => createSpace('nb201', { cells: 0, width: 3 })).toThrow(OptionsError);
    expect(() => createSpace('nb201', { cells: 0, width: 3 })).toThrow(
      /search space "nb201" has invalid options \(2 problems\)[\s\S]*width: unknown option[\s\S]*cells: expected an integer ≥ 1, got 0/,
    );
    expect(() => createSpace('layerwise', { layers: 4 })).toThrow('reductions');
  });
});
