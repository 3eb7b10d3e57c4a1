import { render } from 'ink-testing-library';
import { createElement as h } from 'react';
import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Dashboard, type DashboardProps } from '../../../../src/cli/ui/components/Dashboard.js';
import { compactSample } from '../../../../src/cli/ui/format.js';
import { initialState, reduce } from '../../../../src/cli/ui/state.js';
import { complete, EXPERIMENT_STARTED, failed, finished, HEADER, MULTI, plain, running, started } from '../fixtures.js';

function props(overrides: Partial<DashboardProps> = {}): DashboardProps & { calls: string[] } {
  const calls: string[] = [];
  const state = [
    EXPERIMENT_STARTED,
    started(running(0)),
    started(running(1)),
    finished(complete(0, 0.75, 200_000)),
    started(running(2, 11_000)),
    finished(failed(1, 'diverged', 'NaN')),
  ].reduce(reduce, initialState(HEADER));
  return {
    state,
    now: 21_000,
    width: 100,
    describe: compactSample,
    onQuit: () => calls.push('quit'),
    onInterrupt: () => calls.push('interrupt'),
    calls,
    ...overrides,
  };
}

describe('Dashboard', () => {
  it('shows finished trials above, then header, progress, lanes, leaderboard, chart, failures and keys', () => {
    const frame = plain(render(h(Dashboard, props())).lastFrame());
    const lines = frame.split('\n');
    expect(lines[0]).toBe(
      '✓ #0  COMPLETE  in 10s  val acc 75.00%  params 200.00 K  MACs 20.00 M  latency ~2.00 ms  {n:0}',
    );
    expect(lines[1]).toBe('✗ #1  FAILED  in 2s  diverged: NaN');
    expect(lines[2]).toBe('nas · nb201-c10 running');
    expect(frame).toContain('2/20 trials · 1 running · 1 failed · elapsed 20s · ETA 54s');
    expect(frame).toMatch(/w1 {2}#2 {4}\{n:2\} +epoch 1\/3/);
    expect(frame).toContain('w2  idle');
    expect(frame).toContain('1     #0   75.00%  200.00 K  20.00 M  ~2.00 ms  {n:0}');
    expect(frame).toContain('Best val acc 75.00% (1 complete)');
    expect(frame).toContain('1 failed: 1 diverged');
    expect(lines[lines.length - 1]).toBe(
      'q stop (running trials finish; resumable) · Ctrl-C twice cancel running trials',
    );
    expect(frame).not.toContain('Pareto');
  });

  it('adds the Pareto front for two objectives', () => {
    const state = [finished(complete(0, 0.7, 500)), finished(complete(1, 0.8, 900))].reduce(
      reduce,
      initialState(MULTI),
    );
    expect(plain(render(h(Dashboard, props({ state }))).lastFrame())).toContain(
      'Pareto front: 2 trials (max val acc, min params)',
    );
  });

  it('calls onQuit on q and onInterrupt on Ctrl-C', async () => {
    const p = props();
    const { stdin, unmount } = render(h(Dashboard, p));
    await tick();
    stdin.write('q');
    await tick();
    stdin.write('\x03');
    await tick();
    stdin.write('x');
    await tick();
    unmount();
    expect(p.calls).toEqual(['quit', 'interrupt']);
  });
});
