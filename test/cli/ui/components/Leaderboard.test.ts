import { render } from 'ink-testing-library';
import { createElement as h } from 'react';
import { describe, expect, it } from 'vitest';
import { Leaderboard } from '../../../../src/cli/ui/components/Leaderboard.js';
import { compactSample } from '../../../../src/cli/ui/format.js';
import { complete, HEADER, MULTI, plain } from '../fixtures.js';

describe('Leaderboard', () => {
  const trials = [complete(4, 0.8123, 1_234_567), complete(2, 0.7, 98_000), complete(7, 0.65, 500_000)];

  it('lists the trials in order with accuracy, params, MACs, estimated latency and architecture', () => {
    const frame = plain(
      render(
        h(Leaderboard, { trials, objectives: HEADER.objectives, width: 100, describe: compactSample }),
      ).lastFrame(),
    );
    expect(frame).toBe(
      [
        'Top 3 by val acc (max)',
        '   trial  val acc    params      MACs    latency  architecture',
        '1     #4   81.23%    1.23 M  123.46 M  ~12.35 ms  {n:4}',
        '2     #2   70.00%   98.00 K    9.80 M   ~0.98 ms  {n:2}',
        '3     #7   65.00%  500.00 K   50.00 M   ~5.00 ms  {n:7}',
      ].join('\n'),
    );
  });

  it('puts the objectives first and cuts the architecture to the width', () => {
    const frame = plain(
      render(
        h(Leaderboard, {
          trials: trials.slice(0, 1),
          objectives: [MULTI.objectives[1]!, MULTI.objectives[0]!],
          width: 62,
          describe: () => 'x'.repeat(40),
        }),
      ).lastFrame(),
    );
    expect(frame.split('\n')).toEqual([
      'Top 1 by params (min)',
      '   trial  params  val acc      MACs    latency  architecture',
      `1     #4  1.23 M   81.23%  123.46 M  ~12.35 ms  ${'x'.repeat(13)}…`,
    ]);
  });

  it('says so when no trial is complete yet', () => {
    expect(
      plain(
        render(
          h(Leaderboard, { trials: [], objectives: HEADER.objectives, width: 80, describe: compactSample }),
        ).lastFrame(),
      ),
    ).toBe('Top trials by val acc (max)\nno complete trial yet');
  });
});
