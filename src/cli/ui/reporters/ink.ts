import { render } from 'ink';
import { createElement } from 'react';
import type { Trial } from '../../../core/trial.js';
import type { Describe } from '../columns.js';
import { Dashboard } from '../components/Dashboard.js';
import { compactSample } from '../format.js';
import type { DashboardHeader } from '../header.js';
import { initialState, reduce, type DashboardState } from '../state.js';
import type { Reporter } from './reporter.js';

/** Options of {@link inkReporter}. */
export interface InkReporterOptions {
  readonly header: DashboardHeader;
  /** Asked to stop: `q` or a first Ctrl-C (graceful), every further Ctrl-C (cancel running trials). */
  readonly onStop: (why: string) => void;
  /** A sample in one line (e.g. the space's `format`); JSON without quotes by default. */
  readonly describe?: Describe;
  /** Finished trials of a resumed experiment (leaderboard, counts, best so far). */
  readonly history?: readonly Trial[];
  readonly top?: number;
  readonly stdout?: NodeJS.WriteStream;
  readonly stdin?: NodeJS.ReadStream;
  /** Milliseconds between redraws of the clocks when no event comes. */
  readonly tickMs?: number;
  /** Let Ink route console output above the dashboard (default true; off under test runners). */
  readonly patchConsole?: boolean;
}

/**
 * The live dashboard (Ink): every event is folded into the state and the view redrawn; a timer keeps
 * the clocks moving. Ink's own Ctrl-C exit is off: the first Ctrl-C asks for a graceful stop, the
 * next ones cancel running trials, and the search decides when it is over.
 */
export function inkReporter(options: InkReporterOptions): Reporter {
  const stdout = options.stdout ?? process.stdout;
  let state: DashboardState = initialState(options.header, {
    ...(options.top === undefined ? {} : { top: options.top }),
    ...(options.history === undefined ? {} : { history: options.history }),
  });
  let asked = 0;
  const ask = (why: string) => {
    asked++;
    options.onStop(why);
  };
  const onQuit = () => {
    if (asked === 0 && state.stopping === undefined) ask('q pressed');
  };
  const onInterrupt = () => ask(asked === 0 && state.stopping === undefined ? 'Ctrl-C' : 'Ctrl-C again');
  const view = () =>
    createElement(Dashboard, {
      state,
      now: Date.now(),
      width: stdout.columns || 80,
      rows: stdout.rows || undefined,
      describe: options.describe ?? compactSample,
      onQuit,
      onInterrupt,
    });
  const app = render(view(), {
    stdout,
    ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
    exitOnCtrlC: false,
    patchConsole: options.patchConsole ?? true,
  });
  const redraw = () => app.rerender(view());
  const timer = setInterval(redraw, options.tickMs ?? 1000);
  timer.unref();
  stdout.on('resize', redraw);
  return {
    emit: (event) => {
      state = reduce(state, event);
      redraw();
    },
    close: async () => {
      clearInterval(timer);
      stdout.off('resize', redraw);
      redraw();
      app.unmount();
      await app.waitUntilExit();
    },
  };
}
