import { render } from 'ink-testing-library';
import { createElement as h } from 'react';
import { describe, expect, it } from 'vitest';
import { ParetoFront } from '../../../../src/cli/ui/components/ParetoFront.js';
import { compactSample } from '../../../../src/cli/ui/format.js';
import { initialState, reduce } from '../../../../src/cli/ui/state.js';
import { complete, finished, MULTI, plain } from '../fixtures.js';

describe('ParetoFront', () => {
  const state = [
    complete(0, 0.7, 500),
    complete(1, 0.8, 900_000),
    complete(2, 0.6, 600),
    complete(3, 0.75, 400),
    complete(4, 0.5, 100),
  ]
    .map(finished)
    .reduce(reduce, initialState(MULTI));

  it('lists the non-dominated trials by the first objective with every objective', () => {
    const frame = plain(
      render(
        h(ParetoFront, { trials: state.pareto, objectives: MULTI.objectives, width: 80, describe: compactSample }),
      ).lastFrame(),
    );
    expect(frame.split('\n')).toEqual([
      'Pareto front: 3 trials (max val acc, min params)',
      'trial  val acc    params  architecture',
      '   #1   80.00%  900.00 K  {n:1}',
      '   #3   75.00%       400  {n:3}',
      '   #4   50.00%       100  {n:4}',
    ]);
  });

  it('counts the rows past its limit', () => {
    const frame = plain(
      render(
        h(ParetoFront, {
          trials: state.pareto,
          objectives: MULTI.objectives,
          width: 80,
          describe: compactSample,
          limit: 1,
        }),
      ).lastFrame(),
    );
    expect(frame.split('\n').slice(2)).toEqual(['   #1   80.00%  900.00 K  {n:1}', '… and 2 more']);
  });
});
