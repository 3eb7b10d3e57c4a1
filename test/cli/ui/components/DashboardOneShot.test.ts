import { render } from 'ink-testing-library';
import { createElement as h } from 'react';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../../src/core/events.js';
import { Dashboard } from '../../../../src/cli/ui/components/Dashboard.js';
import { compactSample } from '../../../../src/cli/ui/format.js';
import { height, layoutFor } from '../../../../src/cli/ui/layout.js';
import { initialState, reduce, type DashboardState } from '../../../../src/cli/ui/state.js';
import { EXPERIMENT_STARTED, HEADER, plain, running, started as trialStarted } from '../fixtures.js';
import { DARTS, epochDone, oneShotEpoch, oneShotStart, progress, started } from '../oneshot-fixtures.js';

const START = oneShotStart(DARTS, 1, 3);

/** A DARTS search two epochs into its three, the third one under way. */
function searching(): DashboardState {
  const events: RunEvent[] = [
    EXPERIMENT_STARTED,
    started(START),
    epochDone(oneShotEpoch(DARTS, START, 1)),
    epochDone(oneShotEpoch(DARTS, START, 2)),
    progress(3, 0.5, 1.5),
  ];
  return events.reduce(reduce, initialState(HEADER));
}

function draw(state: DashboardState, width: number, rows: number | undefined): string[] {
  return plain(
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
  ).split('\n');
}

describe('Dashboard with a one-shot search', () => {
  it('shows the α view under the progress bar while the supernet trains, without idle lanes', () => {
    const lines = draw(searching(), 80, undefined);
    expect(lines[4]).toBe('');
    expect(lines[5]).toBe('DARTS (second order) epoch 3/3 ▕██████······▏ loss 1.5000 · val acc 29.00%');
    expect(lines).toContain('normal cell (14 edges) · bars: none max3 avg3 skip sep3 sep5 dil3 dil5');
    expect(lines.join('\n')).not.toContain('idle');
    expect(lines.at(-1)).toBe('q stop (running trials finish; resumable) · Ctrl-C twice cancel running trials');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it('keeps the α view, shrunk, and the lanes once the derived architecture trains as a trial', () => {
    const state = [epochDone(oneShotEpoch(DARTS, START, 3)), trialStarted(running(0, 4000))].reduce(
      reduce,
      searching(),
    );
    const layout = layoutFor(state, 80, 40);
    expect(layout.lanes).toBe(true);
    const lines = draw(state, 80, 40);
    expect(lines.join('\n')).toContain('DARTS (second order) epoch 3/3 ▕████████████▏');
    expect(lines.join('\n')).toMatch(/w1 {2}#0 /);
    expect(lines).toHaveLength(height(state, layout));
  });

  it('fits the terminal height: fewer edge lines per cell first, and its height is what is drawn', () => {
    const state = searching();
    expect(layoutFor(state, 80, undefined).alphaEdges).toBe(14);
    expect(layoutFor(state, 80, 40).alphaEdges).toBe(8);
    for (const rows of [60, 40, 30, 24, 16]) {
      const layout = layoutFor(state, 80, rows);
      expect(height(state, layout), `${rows} rows`).toBeLessThan(rows);
      expect(draw(state, 80, rows), `${rows} rows`).toHaveLength(height(state, layout));
    }
  });

  it('has no α view and the same layout without a one-shot phase', () => {
    const state = initialState(HEADER);
    expect(layoutFor(state, 80, 40).alphaEdges).toBeUndefined();
    expect(draw(state, 80, 40).join('\n')).not.toContain('DARTS');
  });
});
