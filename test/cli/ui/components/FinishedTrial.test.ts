import { render } from 'ink-testing-library';
import { createElement as h } from 'react';
import { describe, expect, it } from 'vitest';
import { Failures } from '../../../../src/cli/ui/components/Failures.js';
import { FinishedTrial } from '../../../../src/cli/ui/components/FinishedTrial.js';
import { compactSample } from '../../../../src/cli/ui/format.js';
import { complete, failed, HEADER, plain } from '../fixtures.js';

describe('FinishedTrial, Failures', () => {
  const line = (trial: Parameters<typeof FinishedTrial>[0]['trial'], width = 100) =>
    plain(
      render(h(FinishedTrial, { trial, objectives: HEADER.objectives, width, describe: compactSample })).lastFrame(),
    );

  it('prints a complete trial with its figures, time and architecture', () => {
    expect(line(complete(4, 0.8123, 1_234_567))).toBe(
      '✓ #4  COMPLETE  in 10s  val acc 81.23%  params 1.23 M  MACs 123.46 M  latency ~12.35 ms  {n:4}',
    );
    expect(line(complete(4, 0.8123, 1_234_567), 40)).toBe('✓ #4  COMPLETE  in 10s  val acc 81.23% …');
  });

  it('prints a failed trial with its reason and the first line of its message', () => {
    expect(line(failed(5, 'diverged', 'DivergedError: NaN\n  at step 3'))).toBe(
      '✗ #5  FAILED  in 2s  diverged: DivergedError: NaN',
    );
  });

  it('counts failures by reason and lists the latest', () => {
    const failures = [
      { number: 5, reason: 'diverged' as const, message: 'NaN' },
      { number: 6, reason: 'timeout' as const, message: undefined },
      { number: 9, reason: 'diverged' as const, message: 'inf' },
    ];
    expect(plain(render(h(Failures, { failures, width: 80 })).lastFrame()).split('\n')).toEqual([
      '3 failed: 2 diverged, 1 timeout',
      '  #6 timeout',
      '  #9 diverged: inf',
    ]);
    expect(render(h(Failures, { failures: [], width: 80 })).lastFrame()).toBe('');
  });
});
