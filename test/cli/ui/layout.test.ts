import { render } from 'ink-testing-library';
import { createElement as h } from 'react';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/core/events.js';
import { Dashboard } from '../../../src/cli/ui/components/Dashboard.js';
import { compactSample } from '../../../src/cli/ui/format.js';
import { height, layoutFor } from '../../../src/cli/ui/layout.js';
import { initialState, reduce, type DashboardState } from '../../../src/cli/ui/state.js';
import { complete, EXPERIMENT_STARTED, failed, finished, HEADER, MULTI, plain, running, started } from './fixtures.js';

/** A busy run: 4 workers, 8 complete trials (a front of several), 3 failures, 2 running. */
function busy(header = MULTI): DashboardState {
  const events: RunEvent[] = [{ ...EXPERIMENT_STARTED, workers: 4 }];
  for (let n = 0; n < 8; n++) events.push(finished(complete(n, 0.5 + 0.04 * n, 1000 * (n + 1) ** 2)));
  for (let n = 8; n < 11; n++) events.push(finished(failed(n, 'diverged', 'NaN')));
  events.push(started(running(11)), started(running(12)));
  return { ...events.reduce(reduce, initialState({ ...header, workers: 4 })), finished: [] };
}

function lines(state: DashboardState, width: number, rows: number | undefined): number {
  const frame = plain(
    render(
      h(Dashboard, {
        state,
        now: 5000,
        width,
        rows,
        describe: compactSample,
        onQuit: () => undefined,
        onInterrupt: () => undefined,
      }),
    ).lastFrame(),
  );
  return frame.split('\n').length;
}

describe('layoutFor', () => {
  it('shows everything when the terminal is tall enough, and its height is what is drawn', () => {
    for (const [state, width] of [
      [busy(), 100],
      [busy(), 120],
      [busy(HEADER), 100],
    ] as const) {
      const layout = layoutFor(state, width, 60);
      expect(layout).toMatchObject({ gaps: true, lanes: true, leaderboardRows: 5, chartHeight: 3, failureLines: 2 });
      expect(lines(state, width, 60)).toBe(height(state, layout));
    }
  });

  it('shrinks the parts, mildest first, to stay under the terminal height', () => {
    const state = busy();
    expect(height(state, layoutFor(state, 100, undefined))).toBe(36);
    for (const rows of [36, 30, 24, 18, 14]) {
      const layout = layoutFor(state, 100, rows);
      expect(height(state, layout)).toBeLessThan(rows);
      expect(lines(state, 100, rows)).toBe(height(state, layout));
    }
    expect(layoutFor(state, 100, 24)).toEqual({
      gaps: false,
      lanes: true,
      leaderboardRows: 3,
      chartHeight: 1,
      paretoRows: 3,
      failureLines: 0,
      sideBySide: false,
    });
  });

  it('puts chart and front side by side on wide terminals, and drops the lanes after the end', () => {
    expect(layoutFor(busy(), 120, undefined).sideBySide).toBe(true);
    expect(layoutFor(busy(HEADER), 120, undefined).paretoRows).toBeUndefined();
    const ended = reduce(busy(), {
      type: 'experiment-finished',
      t: 9,
      experiment: 'x',
      status: 'finished',
      counts: {},
    });
    expect(layoutFor(ended, 100, undefined).lanes).toBe(false);
  });
});
