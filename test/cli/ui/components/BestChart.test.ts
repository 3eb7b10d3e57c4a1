import { render } from 'ink-testing-library';
import { createElement as h } from 'react';
import { describe, expect, it } from 'vitest';
import { BestChart, chartRows, resample } from '../../../../src/cli/ui/components/BestChart.js';
import { HEADER, plain } from '../fixtures.js';

const ACC = HEADER.objectives[0]!;

describe('BestChart', () => {
  it('draws the best value so far as bars between the lowest and highest', () => {
    const frame = plain(render(h(BestChart, { values: [0.5, 0.6, 0.6, 0.8], objective: ACC, width: 40 })).lastFrame());
    expect(frame.split('\n')).toEqual([
      'Best val acc 80.00% (4 complete)',
      '80.00% ┤   █',
      '       ┤   █',
      '50.00% ┤▁███',
    ]);
  });

  it('keeps the last value of each run of points when the series is wider than the chart', () => {
    expect(resample([1, 2, 3, 4, 5, 6], 3)).toEqual([2, 4, 6]);
    expect(resample([1, 2], 3)).toEqual([1, 2]);
    expect(chartRows([0, 0.5, 1], 2)).toEqual(['  █', '▁██']);
    expect(chartRows([3, 3], 1)).toEqual(['██']);
  });

  it('says so before any trial is complete', () => {
    expect(plain(render(h(BestChart, { values: [], objective: ACC, width: 40 })).lastFrame())).toBe(
      'Best val acc (no complete trial yet)',
    );
  });
});
