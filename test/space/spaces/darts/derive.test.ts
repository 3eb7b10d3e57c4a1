import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/core/rng.js';
import type { RelaxationWeights } from '../../../../src/space/search-space.js';
import {
  DARTS_PRIMITIVES,
  DARTS_V1,
  DARTS_V2,
  type DartsSample,
  type DartsSpace,
} from '../../../../src/space/spaces/darts/index.js';
import { darts } from './helpers.js';

const space = darts();

/** Weights in the relaxation's row and column order: `set[edgeId][op]`, `fill` elsewhere. */
function weightsOf(
  s: DartsSpace,
  set: Readonly<Record<string, Readonly<Record<string, number>>>>,
  fill = 0,
): RelaxationWeights {
  return Object.fromEntries(
    s.relaxation().cells.map((c) => [c.name, c.edges.map((e) => e.ops.map((op) => set[e.id]?.[op] ?? fill))]),
  );
}

/** Weight `first` on the op of each node's first listed edge, `second` on the second's; `fill` elsewhere. */
function oneHot(s: DartsSpace, g: DartsSample, first: number, second: number, fill: number): RelaxationWeights {
  const set: Record<string, Record<string, number>> = {};
  for (const cell of ['normal', 'reduce'] as const) {
    g[cell].forEach(([op, input], i) => {
      set[`${cell}.node${2 + Math.floor(i / 2)}.from${input}`] = { [op]: i % 2 === 0 ? first : second };
    });
  }
  return weightsOf(s, set, fill);
}

describe('darts derive (DARTS genotype(), Liu et al. 2019)', () => {
  it('keeps per node the two strongest edges ignoring none, stronger first, each with its best op other than none', () => {
    const w = weightsOf(space, {
      // node 2: none is the largest weight of edge 0 but does not count; edge 1 is stronger.
      'normal.node2.from0': { none: 0.9, sep_conv_3x3: 0.3 },
      'normal.node2.from1': { skip_connect: 0.5 },
      // node 3: the edge from 1 is almost all none, so it is the weakest.
      'normal.node3.from0': { max_pool_3x3: 0.2 },
      'normal.node3.from1': { none: 0.95, dil_conv_3x3: 0.05 },
      'normal.node3.from2': { sep_conv_5x5: 0.4 },
      // node 4: inputs 3 and 0 are the strongest, 3 first.
      'normal.node4.from0': { avg_pool_3x3: 0.6 },
      'normal.node4.from1': { sep_conv_3x3: 0.1 },
      'normal.node4.from2': { none: 0.99 },
      'normal.node4.from3': { dil_conv_5x5: 0.7 },
      // node 5: a tie of ops on edge 1 (the first op wins) and of three edges (the two earlier win).
      'normal.node5.from1': { sep_conv_3x3: 0.5, dil_conv_3x3: 0.5 },
      'normal.node5.from3': { max_pool_3x3: 0.5 },
      'normal.node5.from4': { skip_connect: 0.5 },
    });
    const g = space.derive(w);
    expect(g.normal).toEqual([
      ['skip_connect', 1],
      ['sep_conv_3x3', 0],
      ['sep_conv_5x5', 2],
      ['max_pool_3x3', 0],
      ['dil_conv_5x5', 3],
      ['avg_pool_3x3', 0],
      ['sep_conv_3x3', 1],
      ['max_pool_3x3', 3],
    ]);
    // Uniform weights: every edge ties, so inputs 0 and 1 with the first op besides none.
    expect(g.reduce).toEqual(
      Array.from({ length: 4 }, () => [
        ['max_pool_3x3', 0],
        ['max_pool_3x3', 1],
      ]).flat(),
    );
    expect(space.validate(g)).toEqual([]);
  });

  it('compares any finite numbers (negative weights, none the largest everywhere)', () => {
    const w = weightsOf(
      space,
      { 'normal.node2.from0': { none: 0, skip_connect: -3 }, 'normal.node2.from1': { none: 0, sep_conv_5x5: -2 } },
      -10,
    );
    expect(space.derive(w).normal.slice(0, 2)).toEqual([
      ['sep_conv_5x5', 1],
      ['skip_connect', 0],
    ]);
  });

  it('gives DARTS_V2 and DARTS_V1 back from one-hot weights, edges in the published order', () => {
    for (const g of [DARTS_V2, DARTS_V1]) {
      expect(space.derive(oneHot(space, g, 0.9, 0.8, 0.01))).toEqual(g);
      const equalWeights = space.derive(oneHot(space, g, 1, 1, 0.01));
      expect(space.key(equalWeights)).toBe(space.key(g));
      expect(space.validate(equalWeights)).toEqual([]);
    }
  });

  it("gives a sample back from its one-hot weights (samples list each node's edges by input, as ties do)", () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const s = space.sample(new Rng(seed));
        expect(space.derive(oneHot(space, s, 1, 1, 0))).toEqual(s);
      }),
      { seed: 11, numRuns: 50 },
    );
  });

  it('always derives a valid genotype, for any B, op set and finite weights (ties included)', () => {
    const weight = fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom(0, 0.5, 1));
    const arb = fc
      .record({
        nodes: fc.integer({ min: 1, max: 5 }),
        ops: fc.subarray([...DARTS_PRIMITIVES], { minLength: 1 }).filter((ops) => ops.some((op) => op !== 'none')),
      })
      .chain(({ nodes, ops }) => {
        const rows = (nodes * (nodes + 3)) / 2;
        const cell = fc.array(fc.array(weight, { minLength: ops.length, maxLength: ops.length }), {
          minLength: rows,
          maxLength: rows,
        });
        return fc.record({ nodes: fc.constant(nodes), ops: fc.constant(ops), normal: cell, reduce: cell });
      });
    fc.assert(
      fc.property(arb, ({ nodes, ops, normal, reduce }) => {
        const s = darts({ nodes, ops });
        const g = s.derive({ normal, reduce });
        expect(s.validate(g)).toEqual([]);
      }),
      { seed: 5, numRuns: 150 },
    );
  });

  it('rejects weights of the wrong shape, naming the cell, what it expected and what it got', () => {
    const w = weightsOf(space, {}, 0.125);
    const normal = w.normal ?? [];
    expect(() => space.derive({ normal })).toThrow(
      'darts derive: cell "reduce": expected 14 rows of weights (one per edge j → k of 4 nodes), got nothing',
    );
    expect(() => space.derive({ ...w, normal: normal.slice(1) })).toThrow(
      'cell "normal": expected 14 rows of weights (one per edge j → k of 4 nodes), got 13',
    );
    const short = normal.map((row, e) => (e === 3 ? row.slice(1) : row));
    expect(() => space.derive({ ...w, reduce: short })).toThrow(
      'cell "reduce" row 3: expected 8 weights (one per op: none, max_pool_3x3, avg_pool_3x3, skip_connect, sep_conv_3x3, sep_conv_5x5, dil_conv_3x3, dil_conv_5x5), got 7',
    );
    const nan = normal.map((row, e) => (e === 0 ? [0, 0, Number.NaN, 0, 0, 0, 0, 0] : row));
    expect(() => space.derive({ ...w, normal: nan })).toThrow(
      'cell "normal" row 0 column 2: expected a finite number, got NaN',
    );
    expect(() => space.derive({ ...w, cell: normal })).toThrow(
      'unknown cell(s) "cell" in the weights; expected normal, reduce',
    );
    expect(() => darts({ nodes: 2 }).derive(w)).toThrow(
      'cell "normal": expected 5 rows of weights (one per edge j → k of 2 nodes), got 14',
    );
    expect(() => space.derive({ normal })).toThrow(RangeError);
  });
});
