import { render } from 'ink-testing-library';
import { createElement as h } from 'react';
import { describe, expect, it } from 'vitest';
import type { DiagnosticFlag, FlagKind } from '../../../../src/core/diagnostics.js';
import type { RunEvent } from '../../../../src/core/events.js';
import { FinishedTrial } from '../../../../src/cli/ui/components/FinishedTrial.js';
import { Lanes } from '../../../../src/cli/ui/components/Lanes.js';
import { compactSample } from '../../../../src/cli/ui/format.js';
import { plainReporter } from '../../../../src/cli/ui/reporters/plain.js';
import { initialState, reduce } from '../../../../src/cli/ui/state.js';
import { Collect, complete, failed, HEADER, plain, running, started } from '../fixtures.js';

const flag = (kind: FlagKind, layer: string, step: number): DiagnosticFlag => ({
  kind,
  layer,
  firstStep: 1,
  step,
  value: 0,
  threshold: 1,
});

/** Trial 3's epoch `epoch` diagnostics, raising `flags`. */
const diagnostics = (epoch: number, flags: DiagnosticFlag[]): RunEvent => ({
  type: 'trial-progress',
  t: 2000,
  trialId: 4,
  number: 3,
  progress: { kind: 'diagnostics', every: 2, record: { epoch, checks: [], histograms: [], flags } },
});

describe('the diagnostics flag marker', () => {
  it("marks a running trial's lane from the first epoch that raises a flag, each kind once", () => {
    const events = [
      started(running(3, 1000)),
      diagnostics(1, []),
      diagnostics(2, [flag('vanishing', 'c1', 10), flag('dead-relu', 'r1', 10)]),
      diagnostics(3, [flag('vanishing', 'c2', 14)]),
    ];
    const states = events.reduce(
      (all, e) => [...all, reduce(all[all.length - 1] ?? initialState(HEADER), e)],
      [initialState(HEADER)],
    );
    expect(states.map((s) => s.lanes[0]?.flags)).toEqual([
      undefined,
      [],
      [],
      ['vanishing', 'dead-relu'],
      ['vanishing', 'dead-relu'],
    ]);
    const lanes = (states[states.length - 1] ?? initialState(HEADER)).lanes;
    const frame = plain(
      render(h(Lanes, { lanes, workers: 1, now: 5000, width: 100, describe: compactSample })).lastFrame(),
    );
    expect(frame).toBe(
      `w1  #3    ⚑ vanishing dead-relu {n:3}${' '.repeat(9)} epoch 1/3  ············ loss —      acc —          4s`,
    );
    const before = plain(
      render(
        h(Lanes, { lanes: states[2]?.lanes ?? [], workers: 1, now: 5000, width: 100, describe: compactSample }),
      ).lastFrame(),
    );
    expect(before).toBe(`w1  #3    {n:3}${' '.repeat(31)} epoch 1/3  ············ loss —      acc —          4s`);
  });

  it("keeps the marker on the finished trial's row, from the record's flags (an outcome's, or a failed trial's own)", () => {
    const line = (trial: Parameters<typeof FinishedTrial>[0]['trial']) =>
      plain(
        render(
          h(FinishedTrial, { trial, objectives: HEADER.objectives, width: 100, describe: compactSample }),
        ).lastFrame(),
      );
    const done = complete(4, 0.8123, 1_234_567);
    const flagged = {
      ...done,
      outcome: {
        ...(done.outcome as NonNullable<typeof done.outcome>),
        diagnostics: { every: 2, flags: [flag('bn-drift', 'b1', 4)] },
      },
    };
    expect(line(flagged)).toBe(
      '✓ #4  COMPLETE  in 10s  ⚑ bn-drift  val acc 81.23%  params 1.23 M  MACs 123.46 M  latency ~12.35 ms…',
    );
    const stopped = {
      ...failed(5, 'diagnostics', 'DiagnosticsStopError: stopped'),
      diagnostics: { every: 1, flags: [flag('exploding', 'c1', 3)] },
    };
    expect(line(stopped)).toBe('✗ #5  FAILED  in 2s  ⚑ exploding  diagnostics: DiagnosticsStopError: stopped');
    expect(
      line({
        ...done,
        outcome: { ...(done.outcome as NonNullable<typeof done.outcome>), diagnostics: { every: 2, flags: [] } },
      }),
    ).toBe('✓ #4  COMPLETE  in 10s  val acc 81.23%  params 1.23 M  MACs 123.46 M  latency ~12.35 ms  {n:4}');
  });

  it('prints a plain line for an epoch that raised flags, and none for one that raised none', () => {
    const out = new Collect();
    const reporter = plainReporter(out, { header: HEADER });
    reporter.emit(started(running(3, 1000)));
    reporter.emit(diagnostics(1, []));
    reporter.emit(
      diagnostics(2, [
        flag('vanishing', 'c1', 10),
        { kind: 'exploding', firstStep: 11, step: 11, value: 2000, threshold: 1000 },
      ]),
    );
    expect(out.text().split('\n').slice(1, -1)).toEqual([
      '[0:00:01] #3 epoch 2 ⚑ vanishing c1 (step 10), exploding (step 11)',
    ]);
  });
});
