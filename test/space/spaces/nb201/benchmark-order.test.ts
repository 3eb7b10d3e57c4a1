import { describe, expect, it } from 'vitest';
import { benchmarkIndexOf, sampleAtBenchmarkIndex } from '../../../../src/space/spaces/nb201/benchmark-order.js';
import { fromBenchmarkString, toBenchmarkString } from '../../../../src/space/spaces/nb201/conversions.js';
import { pythonShuffle } from '../../../../src/space/spaces/nb201/python-random.js';

/** (index, string) pairs as published by the benchmark (NATS-Bench topology / NAS-Bench-201 meta_archs). */
const PUBLISHED: readonly [number, string][] = [
  [0, '|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|'],
  [1, '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|'],
  [2, '|avg_pool_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|avg_pool_3x3~0|avg_pool_3x3~1|avg_pool_3x3~2|'],
  [3, '|avg_pool_3x3~0|+|skip_connect~0|none~1|+|none~0|none~1|skip_connect~2|'],
  [9, '|avg_pool_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|nor_conv_3x3~2|'],
  [123, '|avg_pool_3x3~0|+|avg_pool_3x3~0|nor_conv_1x1~1|+|none~0|avg_pool_3x3~1|nor_conv_3x3~2|'],
  [777, '|avg_pool_3x3~0|+|avg_pool_3x3~0|nor_conv_3x3~1|+|skip_connect~0|none~1|none~2|'],
  [2024, '|avg_pool_3x3~0|+|skip_connect~0|skip_connect~1|+|avg_pool_3x3~0|skip_connect~1|nor_conv_3x3~2|'],
  [5000, '|nor_conv_3x3~0|+|nor_conv_3x3~0|none~1|+|avg_pool_3x3~0|nor_conv_1x1~1|nor_conv_3x3~2|'],
  [6111, '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|'],
  [9999, '|skip_connect~0|+|nor_conv_3x3~0|none~1|+|skip_connect~0|avg_pool_3x3~1|nor_conv_1x1~2|'],
  [12345, '|skip_connect~0|+|avg_pool_3x3~0|none~1|+|nor_conv_1x1~0|skip_connect~1|avg_pool_3x3~2|'],
  [13714, '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_1x1~1|nor_conv_3x3~2|'],
  [15624, '|nor_conv_1x1~0|+|none~0|nor_conv_1x1~1|+|none~0|nor_conv_1x1~1|nor_conv_1x1~2|'],
];

describe('nb201 benchmark index order', () => {
  it('replays CPython random.seed(n); random.shuffle (values printed by CPython 3.11)', () => {
    expect(pythonShuffle([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 88)).toEqual([8, 2, 9, 4, 0, 7, 1, 5, 3, 6]);
    expect(
      pythonShuffle(
        Array.from({ length: 20 }, (_, i) => i),
        0,
      ),
    ).toEqual([10, 18, 16, 14, 0, 17, 11, 2, 3, 9, 5, 7, 4, 19, 6, 15, 8, 1, 13, 12]);
    expect(() => pythonShuffle([1], -1)).toThrow('integer seed');
  });

  it.each(PUBLISHED)('index %i is the published cell, and back', (index, text) => {
    expect(toBenchmarkString(sampleAtBenchmarkIndex(index))).toBe(text);
    expect(benchmarkIndexOf(fromBenchmarkString(text))).toBe(index);
  });

  it('is a bijection of 0..15624', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 15_625; i++) {
      const s = sampleAtBenchmarkIndex(i);
      seen.add(toBenchmarkString(s));
      if (benchmarkIndexOf(s) !== i) throw new Error(`index ${i} does not round-trip`);
    }
    expect(seen.size).toBe(15_625);
    expect(() => sampleAtBenchmarkIndex(15_625)).toThrow('0..15624');
    expect(() => sampleAtBenchmarkIndex(-1)).toThrow('0..15624');
  });
});
