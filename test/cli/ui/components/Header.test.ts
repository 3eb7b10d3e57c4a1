import { render } from 'ink-testing-library';
import { createElement as h } from 'react';
import { describe, expect, it } from 'vitest';
import { Header } from '../../../../src/cli/ui/components/Header.js';
import { ProgressBar } from '../../../../src/cli/ui/components/ProgressBar.js';
import { StatusLine } from '../../../../src/cli/ui/components/StatusLine.js';
import { MULTI, plain } from '../fixtures.js';

describe('Header, ProgressBar, StatusLine', () => {
  it('names the experiment, its phase and configuration', () => {
    const frame = plain(
      render(
        h(Header, { header: { ...MULTI, budget: { trials: 20, seconds: 7200 } }, resumed: true, phase: 'stopping' }),
      ).lastFrame(),
    );
    expect(frame.split('\n')).toEqual([
      'nas · nb201-c10 (resumed) stopping',
      'space nb201 · strategy random · data cifar10 · seed 42',
      'budget 20 trials or 2h00m · 2 workers · max val acc, min params',
    ]);
  });

  it('shows trials done of the budget, running and failed counts, elapsed time and ETA', () => {
    const frame = plain(
      render(
        h(ProgressBar, { done: 5, total: 20, running: 2, failed: 1, elapsedMs: 65_000, etaMs: 120_000, width: 100 }),
      ).lastFrame(),
    );
    expect(frame).toBe(
      `${'█'.repeat(9)}▎${'·'.repeat(27)} 5/20 trials · 2 running · 1 failed · elapsed 1m05s · ETA 2m00s`,
    );
    const early = plain(
      render(
        h(ProgressBar, { done: 0, total: 20, running: 2, failed: 0, elapsedMs: 3000, etaMs: undefined, width: 60 }),
      ).lastFrame(),
    );
    expect(early).toBe(`${'·'.repeat(15)} 0/20 trials · 2 running · elapsed 3s · ETA —`);
  });

  it('tells which keys work, and what a stop is doing', () => {
    const line = (phase: Parameters<typeof StatusLine>[0]['phase'], stopReason?: string) =>
      plain(render(h(StatusLine, { phase, stopReason, strategyDone: undefined })).lastFrame());
    expect(line('running')).toBe('q stop (running trials finish; resumable) · Ctrl-C twice cancel running trials');
    expect(line('stopping', 'q pressed')).toBe('stopping (q pressed): waiting for running trials · Ctrl-C cancel them');
    expect(line('stopped', 'q pressed')).toBe('stopped (q pressed) · continue with `nas resume`');
    expect(
      plain(
        render(
          h(StatusLine, { phase: 'finished', stopReason: undefined, strategyDone: 'space exhausted' }),
        ).lastFrame(),
      ),
    ).toBe('strategy done (space exhausted) · finished');
  });
});
