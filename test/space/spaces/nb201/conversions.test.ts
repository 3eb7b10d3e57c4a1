import { describe, expect, it } from 'vitest';
import {
  NB201_SIZE,
  cellIssues,
  fromBenchmarkString,
  fromIndices,
  fromProductIndex,
  productIndex,
  toBenchmarkString,
  toIndices,
} from '../../../../src/space/spaces/nb201/conversions.js';
import { Nb201Space } from '../../../../src/space/spaces/nb201/space.js';

const ISSUE_EXAMPLE = '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|';

describe('nb201 conversions', () => {
  it('parses the benchmark string into node lists and prints it back', () => {
    const s = fromBenchmarkString(ISSUE_EXAMPLE);
    expect(s).toEqual({
      node1: ['nor_conv_3x3'],
      node2: ['nor_conv_3x3', 'avg_pool_3x3'],
      node3: ['skip_connect', 'nor_conv_3x3', 'skip_connect'],
    });
    expect(toBenchmarkString(s)).toBe(ISSUE_EXAMPLE);
    expect(toIndices(s)).toEqual([3, 3, 4, 1, 3, 1]);
  });

  it('rejects malformed strings, naming the problem', () => {
    expect(() => fromBenchmarkString('|none~0|+|none~0|none~1|')).toThrow('expected 3 nodes');
    expect(() => fromBenchmarkString('|none~0|+|none~0|none~1|+|none~0|none~1|')).toThrow(
      'node 3: expected 3 edges, got 2',
    );
    expect(() => fromBenchmarkString('|none~0|+|none~0|conv~1|+|none~0|none~1|none~2|')).toThrow('unknown op "conv"');
    expect(() => fromBenchmarkString('|none~0|+|none~1|none~0|+|none~0|none~1|none~2|')).toThrow(
      'node 2: edge 0 must come from node 0',
    );
    expect(() => new Nb201Space({ cells: 5, channels: 16 }).parse('|none~0|')).toThrow(
      /is not a NAS-Bench-201 cell: expected 3 nodes/,
    );
  });

  it('enumerates product order as mixed radix 5, last edge fastest', () => {
    expect(NB201_SIZE).toBe(15_625);
    expect(toBenchmarkString(fromProductIndex(0))).toBe('|none~0|+|none~0|none~1|+|none~0|none~1|none~2|');
    expect(toBenchmarkString(fromProductIndex(1))).toBe('|none~0|+|none~0|none~1|+|none~0|none~1|skip_connect~2|');
    expect(toBenchmarkString(fromProductIndex(5))).toBe('|none~0|+|none~0|none~1|+|none~0|skip_connect~1|none~2|');
    expect(toBenchmarkString(fromProductIndex(15_624))).toBe(
      '|avg_pool_3x3~0|+|avg_pool_3x3~0|avg_pool_3x3~1|+|avg_pool_3x3~0|avg_pool_3x3~1|avg_pool_3x3~2|',
    );
    expect(productIndex(fromIndices([3, 3, 4, 1, 3, 1]))).toBe(((((3 * 5 + 3) * 5 + 4) * 5 + 1) * 5 + 3) * 5 + 1);
    expect(() => fromProductIndex(15_625)).toThrow('0..15624');
  });

  it('labels every problem of a bad cell', () => {
    expect(cellIssues({ node1: ['none'], node2: ['none', 'pool'], node3: ['none', 'none'], extra: 1 })).toEqual([
      { path: 'extra', message: 'unknown field; expected node1, node2, node3' },
      {
        path: 'node2[1]',
        message: 'expected one of none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3, got "pool"',
      },
      { path: 'node3', message: 'expected 3 ops (one per earlier node), got ["none","none"]' },
    ]);
  });
});
