import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import type { SearchSpace } from '../../src/space/search-space.js';
import { createSpace } from '../../src/space/spaces/index.js';
import { macroPresets } from '../../src/space/spaces/macro/index.js';

// What evolution's crossover relies on, for every space it can run on: children are valid samples,
// every gene (a position of the space's encoding) comes from one parent or the other, and children
// really mix (not a copy of one parent, both parents contribute about half).
const SPACES: readonly { label: string; space: SearchSpace }[] = [
  { label: 'nb201', space: createSpace('nb201') },
  { label: 'darts', space: createSpace('darts') },
  { label: 'macro (resnet)', space: createSpace('macro') },
  { label: 'macro (mobilenetv2)', space: createSpace('macro', macroPresets.mobilenetv2) },
  { label: 'layerwise', space: createSpace('layerwise') },
];
const DRAWS = 500;

describe.each(SPACES)('crossover of the $label space', ({ space }) => {
  const cross = space.crossover?.bind(space);
  const pairs = (seed: string) => {
    const rng = new Rng(seed);
    return Array.from({ length: DRAWS }, () => {
      const a = space.sample(rng);
      const b = space.sample(rng);
      const child = (cross as NonNullable<typeof cross>)(a, b, rng);
      return { a, b, child, ea: space.encode(a), eb: space.encode(b), ec: space.encode(child) };
    });
  };

  it('is offered', () => {
    expect(cross).toBeTypeOf('function');
  });

  it('gives a valid sample of the space, every gene from one parent or the other', () => {
    for (const { child, ea, eb, ec } of pairs('valid')) {
      expect(space.validate(child)).toEqual([]);
      expect(ec.length).toBe(ea.length);
      ec.forEach((g, i) => expect([ea[i], eb[i]]).toContain(g));
    }
  });

  it('mixes: a child of different parents differs from one of them, and most are neither parent', () => {
    let mixed = 0;
    let genes = 0;
    let fromA = 0;
    for (const { a, b, child, ea, eb, ec } of pairs('mix')) {
      if (space.key(a) !== space.key(b))
        expect(space.key(child) !== space.key(a) || space.key(child) !== space.key(b)).toBe(true);
      if (ec.some((g, i) => g !== ea[i]) && ec.some((g, i) => g !== eb[i])) mixed++;
      ea.forEach((g, i) => {
        if (g === eb[i]) return;
        genes++;
        if (ec[i] === g) fromA++;
      });
    }
    expect(mixed / DRAWS).toBeGreaterThan(0.75);
    expect(fromA / genes).toBeGreaterThan(0.4);
    expect(fromA / genes).toBeLessThan(0.6);
  });

  it('gives the parent itself when both parents are one sample', () => {
    const rng = new Rng('same');
    for (let i = 0; i < 50; i++) {
      const a = space.sample(rng);
      expect(space.encode((cross as NonNullable<typeof cross>)(a, a, rng))).toEqual(space.encode(a));
    }
  });
});
