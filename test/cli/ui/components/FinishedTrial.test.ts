import { render } from 'ink-testing-library';
import { createElement as h } from 'react';
import { describe, expect, it } from 'vitest';
import { Failures } from '../../../../src/cli/ui/components/Failures.js';
import { FinishedTrial } from '../../../../src/cli/ui/components/FinishedTrial.js';
import { compactSample } from '../../../../src/cli/ui/format.js';
import type { Rungs } from '../../../../src/cli/ui/rungs.js';
import { complete, failed, HEADER, plain, pruned } from '../fixtures.js';

describe('FinishedTrial, Failures', () => {
  const line = (trial: Parameters<typeof FinishedTrial>[0]['trial'], width = 100, rungs?: Rungs) =>
    plain(
      render(
        h(FinishedTrial, { trial, objectives: HEADER.objectives, width, describe: compactSample, rungs }),
      ).lastFrame(),
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

  it('prints a pruned trial with the epoch and rung it was pruned at and its value there', () => {
    const at = { step: 2, metric: 'validationAccuracy', value: 0.812, why: 'successive-halving: rung 1 (epoch 2)' };
    expect(line(pruned(6, { ...at, rung: 1 }))).toBe('– #6  PRUNED  in 5s  pruned at epoch 2 (rung 1) val acc 81.20%');
    expect(line(pruned(7, { ...at, step: 3, metric: 'validationLoss', value: 0.4321, why: 'median: …' }, 9))).toBe(
      '– #7  PRUNED  in 9s  pruned at epoch 3 val loss 0.4321',
    );
  });

  it('prints the rung of a successive-halving trial from its fidelity, or the fidelity when the rungs are unknown', () => {
    const rungs = { fidelity: 'epochs', levels: [1, 3, 9] };
    const trial = { ...complete(8, 0.8123, 1_234_567), fidelity: { epochs: 3 } };
    expect(line(trial, 100, rungs)).toBe(
      '✓ #8  COMPLETE  in 10s  rung 1 (epochs 3)  val acc 81.23%  params 1.23 M  MACs 123.46 M  latency ~1…',
    );
    expect(line({ ...failed(8, 'diverged', 'NaN'), fidelity: { epochs: 3 } })).toBe(
      '✗ #8  FAILED  in 2s  epochs 3  diverged: NaN',
    );
    const fraction = { ...failed(9, 'timeout'), fidelity: { dataFraction: 1 / 9 } };
    expect(line(fraction, 100, { fidelity: 'dataFraction', levels: [1 / 9, 1 / 3, 1] })).toBe(
      '✗ #9  FAILED  in 2s  rung 0 (dataFraction 0.111)  timeout',
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
