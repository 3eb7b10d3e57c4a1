import { describe, expect, it } from 'vitest';
import { fromBenchmarkString, fromProductIndex, nb201FunctionKey } from '../../../../src/space/spaces/nb201/index.js';

const key = (text: string): string => nb201FunctionKey(fromBenchmarkString(text));

describe('nb201 function key (isomorphism-aware)', () => {
  it('merges cells that differ only where nothing reaches the output', () => {
    expect(key('|nor_conv_3x3~0|+|avg_pool_3x3~0|nor_conv_1x1~1|+|none~0|none~1|none~2|')).toBe('0');
    expect(key('|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|')).toBe('x');
    expect(key('|avg_pool_3x3~0|+|nor_conv_1x1~0|none~1|+|skip_connect~0|none~1|none~2|')).toBe('x');
  });

  it('treats sums as commutative and skip connections as pass-through', () => {
    const a = key('|skip_connect~0|+|none~0|nor_conv_3x3~1|+|none~0|none~1|skip_connect~2|');
    const b = key('|nor_conv_1x1~0|+|nor_conv_3x3~0|none~1|+|none~0|none~1|skip_connect~2|');
    expect(a).toBe('nor_conv_3x3(x)');
    expect(b).toBe(a);
    expect(key('|nor_conv_3x3~0|+|avg_pool_3x3~0|none~1|+|none~0|skip_connect~1|skip_connect~2|')).toBe(
      key('|avg_pool_3x3~0|+|nor_conv_3x3~0|none~1|+|none~0|skip_connect~1|skip_connect~2|'),
    );
  });

  it('keeps different functions apart', () => {
    expect(key('|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|nor_conv_3x3~2|')).toBe('0');
    expect(key('|nor_conv_3x3~0|+|none~0|none~1|+|none~0|nor_conv_3x3~1|none~2|')).toBe(
      'nor_conv_3x3(nor_conv_3x3(x))',
    );
    expect(key('|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|none~0|none~1|skip_connect~2|')).not.toBe(
      key('|nor_conv_3x3~0|+|none~0|nor_conv_1x1~1|+|none~0|none~1|skip_connect~2|'),
    );
    expect(key('|skip_connect~0|+|skip_connect~0|skip_connect~1|+|none~0|none~1|skip_connect~2|')).toBe('x+x');
    expect(key('|skip_connect~0|+|skip_connect~0|skip_connect~1|+|none~0|none~1|avg_pool_3x3~2|')).toBe(
      'avg_pool_3x3(x+x)',
    );
  });

  it('splits the 15,625 cells into 4,930 functions', () => {
    const keys = new Set<string>();
    for (let i = 0; i < 15_625; i++) keys.add(nb201FunctionKey(fromProductIndex(i)));
    expect(keys.size).toBe(4_930);
  });
});
