import { describe, expect, it } from 'vitest';
import type { RelaxationWeights } from '../../../../src/space/search-space.js';
import { NB201_OPS, Nb201Space } from '../../../../src/space/spaces/nb201/index.js';
import { toIndices } from '../../../../src/space/spaces/nb201/conversions.js';

const space = new Nb201Space({ cells: 5, channels: 16 });

/** Weights in the relaxation's row and column order: `set[edgeId][op]`, `fill` elsewhere. */
function weightsOf(set: Readonly<Record<string, Readonly<Record<string, number>>>>, fill = 0): RelaxationWeights {
  return Object.fromEntries(
    space.relaxation().cells.map((c) => [c.name, c.edges.map((e) => e.ops.map((op) => set[e.id]?.[op] ?? fill))]),
  );
}

describe('nb201 derive (NB201 DARTS genotype())', () => {
  it('takes the argmax op of every edge, none included, each row on its own edge', () => {
    const w = weightsOf(
      {
        'node1[0]': { none: 0.9, nor_conv_3x3: 0.1 },
        'node2[0]': { skip_connect: 0.4 },
        'node2[1]': { nor_conv_1x1: 0.3, none: 0.2 },
        'node3[0]': { nor_conv_3x3: 0.5 },
        'node3[1]': { avg_pool_3x3: 0.6 },
        'node3[2]': { none: -1 },
      },
      -2,
    );
    const s = space.derive(w);
    expect(s).toEqual({
      node1: ['none'],
      node2: ['skip_connect', 'nor_conv_1x1'],
      node3: ['nor_conv_3x3', 'avg_pool_3x3', 'none'],
    });
    expect(space.format(s)).toBe('|none~0|+|skip_connect~0|nor_conv_1x1~1|+|nor_conv_3x3~0|avg_pool_3x3~1|none~2|');
    expect(space.validate(s)).toEqual([]);
  });

  it('gives benchmark cells back from their one-hot weights', () => {
    for (const text of [
      '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|',
      '|none~0|+|none~0|none~1|+|none~0|none~1|none~2|',
      '|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|nor_conv_3x3~2|',
      '|skip_connect~0|+|none~0|nor_conv_3x3~1|+|avg_pool_3x3~0|none~1|nor_conv_1x1~2|',
    ]) {
      const ops = toIndices(space.parse(text));
      const w = { cell: ops.map((best) => NB201_OPS.map((_, i) => (i === best ? 0.6 : 0.1))) };
      expect(space.format(space.derive(w))).toBe(text);
    }
  });

  it('takes the first op on ties', () => {
    const w = weightsOf(
      { 'node2[0]': { skip_connect: 0.5, nor_conv_3x3: 0.5 }, 'node3[2]': { nor_conv_1x1: 1, avg_pool_3x3: 1 } },
      0.2,
    );
    expect(space.format(space.derive(w))).toBe('|none~0|+|skip_connect~0|none~1|+|none~0|none~1|nor_conv_1x1~2|');
  });

  it('rejects weights of the wrong shape, naming the cell, what it expected and what it got', () => {
    const rows = weightsOf({}).cell ?? [];
    expect(() => space.derive({})).toThrow(
      'nb201 derive: cell "cell": expected 6 rows of weights (one per edge), got nothing',
    );
    expect(() => space.derive({ cell: rows.slice(0, 5) })).toThrow(
      'cell "cell": expected 6 rows of weights (one per edge), got 5',
    );
    expect(() => space.derive({ cell: rows.map((r, e) => (e === 2 ? [...r, 0] : r)) })).toThrow(
      'cell "cell" row 2: expected 5 weights (one per op: none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3), got 6',
    );
    expect(() =>
      space.derive({ cell: rows.map((r, e) => (e === 5 ? [0, 0, 0, Number.POSITIVE_INFINITY, 0] : r)) }),
    ).toThrow('cell "cell" row 5 column 3: expected a finite number, got Infinity');
    expect(() => space.derive({ cell: rows, normal: rows })).toThrow(
      'unknown cell(s) "normal" in the weights; expected "cell"',
    );
    expect(() => space.derive({})).toThrow(RangeError);
  });
});
