import type { RunEvent } from '../../../core/events.js';
import type { Trial } from '../../../core/trial.js';
import type { Describe } from '../columns.js';
import { clock, compactSample, metric, title } from '../format.js';
import { DEFAULT_OBJECTIVE, unknownHeader, type DashboardHeader } from '../header.js';
import { epochText, finishedText, flagsText, oneShotEpochText, oneShotStartText } from '../lines.js';
import { fidelityText } from '../rungs.js';
import { initialState, reduce, type DashboardState } from '../state.js';
import { drained, type LineStream, type Reporter } from './reporter.js';
import { takeoverText } from '../../../run/owner-text.js';

/** Options of {@link plainReporter}; without a header, objectives default to max validation accuracy. */
export interface PlainReporterOptions {
  readonly header?: DashboardHeader;
  readonly describe?: Describe;
  /** The finished trials of a resumed experiment: the count and the best go on from them. */
  readonly history?: readonly Trial[];
}

/**
 * One readable line per event, no escape codes: for logs, CI and dumb terminals. Batch progress (of
 * trials and of the supernet) is left out (a line per epoch says enough); each finished trial adds
 * the count and the best so far (of the whole experiment, when resumed).
 */
export function plainReporter(stream: LineStream, options: PlainReporterOptions = {}): Reporter {
  const describe = options.describe ?? compactSample;
  let state = initialState(
    options.header ?? unknownHeader(),
    options.history === undefined ? {} : { history: options.history },
  );
  let origin: number | undefined;
  return {
    emit: (event: RunEvent) => {
      state = reduce(state, event);
      origin ??= event.t;
      const text = line(state, event, describe);
      if (text !== undefined) stream.write(`[${clock(event.t - (state.startedAt ?? origin))}] ${text}\n`);
    },
    close: () => drained(stream),
  };
}

/** The line of an event after it has been folded into `state`; undefined for batch and supernet progress. */
function line(state: DashboardState, event: RunEvent, describe: Describe): string | undefined {
  const { header } = state;
  switch (event.type) {
    case 'experiment-started': {
      const seconds = event.budget.seconds === undefined ? '' : ` or ${event.budget.seconds} s`;
      return `experiment ${event.experiment} ${event.resumed ? 'resumed' : 'started'}: budget ${event.budget.trials} trials${seconds}, ${event.workers} worker${event.workers === 1 ? '' : 's'}`;
    }
    case 'trial-started': {
      const fidelity = fidelityText(event.trial, header.rungs);
      return `#${event.trial.number} started  ${fidelity === undefined ? '' : `${fidelity}  `}${describe(event.trial.sample)}`;
    }
    case 'trial-progress': {
      const p = event.progress;
      if (p.kind === 'batch' || p.kind === 'report') return undefined;
      if (p.kind === 'note') return `#${event.number} ${p.text}`;
      if (p.kind === 'diagnostics') return flagsText(event.number, p.record);
      const lane = state.lanes.find((l) => l.trial.id === event.trialId);
      return epochText(event.number, p.metrics, lane?.epochs);
    }
    case 'trial-finished':
      return `${finishedText(event.trial, header.objectives, describe, header.rungs)}  [${progress(state)}]`;
    case 'strategy-done':
      return `strategy done: ${event.why}`;
    case 'stopping':
      return state.stopping?.forced === true
        ? `cancelling running trials: ${event.why}`
        : `stopping: ${event.why} (running trials finish)`;
    case 'experiment-finished': {
      const counts = Object.entries(event.counts)
        .map(([s, n]) => `${n} ${s}`)
        .join(', ');
      return `experiment ${event.experiment} ${event.status}: ${counts === '' ? 'no trials' : counts}`;
    }
    case 'oneshot-started':
      return oneShotStartText(event.start);
    case 'oneshot-progress':
      return undefined;
    case 'oneshot-epoch':
      return oneShotEpochText(event.epoch);
    case 'owner-takeover':
      return takeoverText(event.experiment, event.takeover);
  }
}

/** "12/30 done, best val acc 84.10%". */
function progress(state: DashboardState): string {
  const primary = state.header.objectives[0] ?? DEFAULT_OBJECTIVE;
  const best = state.best[state.best.length - 1];
  const total = state.header.budget.trials > 0 ? `/${state.header.budget.trials}` : '';
  return `${state.done}${total} done${best === undefined ? '' : `, best ${title(primary.metric)} ${metric(primary.metric, best)}`}`;
}
