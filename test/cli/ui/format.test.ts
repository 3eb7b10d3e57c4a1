import { describe, expect, it } from 'vitest';
import { bar, clock, compactSample, duration, fit, metric, percent, title } from '../../../src/cli/ui/format.js';

describe('format', () => {
  it('writes accuracies as percentages and durations short', () => {
    expect([percent(0.73125), percent(Number.NaN)]).toEqual(['73.13%', '—']);
    expect([duration(0), duration(42_400), duration(185_000), duration(3_720_000), duration(-1)]).toEqual([
      '0s',
      '42s',
      '3m05s',
      '1h02m',
      '—',
    ]);
    expect([clock(0), clock(3_723_000)]).toEqual(['0:00:00', '1:02:03']);
  });

  it('writes each figure in its unit', () => {
    expect(metric('validationAccuracy', 0.8)).toBe('80.00%');
    expect(metric('params', 1_234_567)).toBe('1.23 M');
    expect(metric('macs', 81)).toBe('81');
    expect(metric('trainMemoryBytes', 46_758_048)).toBe('44.6 MiB');
    expect(metric('measuredLatencyMs', 1.5)).toBe('1.50 ms');
    expect(metric('validationLoss', 0.123456)).toBe('0.1235');
    expect(metric('custom', 2 / 3)).toBe('0.6667');
    expect([metric('params', undefined), metric('trainLoss', Number.POSITIVE_INFINITY)]).toEqual(['—', '—']);
    expect([title('validationAccuracy'), title('macs'), title('custom')]).toEqual(['val acc', 'MACs', 'custom']);
  });

  it('draws bars in eighths of a cell and fits text to a width', () => {
    expect(bar(0, 4)).toBe('····');
    expect(bar(0.5, 4)).toBe('██··');
    expect(bar(0.5625, 4)).toBe('██▎·');
    expect(bar(2, 3)).toBe('███');
    expect([fit('abcdef', 4), fit('ab', 4), fit('ab', 0)]).toEqual(['abc…', 'ab  ', '']);
    expect(compactSample({ node1: ['a', 'b'], k: 3 })).toBe('{node1:[a b] k:3}');
  });
});
