import type { DashboardState } from './state.js';

/** Milliseconds since the experiment started (0 before it has). */
export function elapsedMs(state: DashboardState, now: number): number {
  return state.startedAt === undefined ? 0 : Math.max(0, now - state.startedAt);
}

/** Trials still to run under the trial budget. */
export function remainingTrials(state: DashboardState): number {
  return Math.max(0, state.header.budget.trials - state.done);
}

/**
 * Estimated time to the end: mean trial time × remaining trials / workers, capped by what is left
 * of a time budget. Undefined until a trial has finished, while stopping and after the end.
 */
export function etaMs(state: DashboardState, now: number): number | undefined {
  if (state.status !== 'running' || state.stopping !== undefined) return undefined;
  const left =
    state.header.budget.seconds === undefined
      ? Number.POSITIVE_INFINITY
      : Math.max(0, state.header.budget.seconds * 1000 - elapsedMs(state, now));
  if (state.trialTime.count === 0) return Number.isFinite(left) ? left : undefined;
  const mean = state.trialTime.totalMs / state.trialTime.count;
  return Math.min(left, (mean * remainingTrials(state)) / Math.max(1, state.header.workers));
}

/** What the run is doing, in the dashboard's words. */
export type Phase = 'starting' | 'running' | 'stopping' | 'cancelling' | 'finished' | 'stopped';

/** The run's phase: a stop asked once is 'stopping', twice 'cancelling'. */
export function phase(state: DashboardState): Phase {
  if (state.status !== 'running') return state.status;
  if (state.stopping === undefined) return 'running';
  return state.stopping.forced ? 'cancelling' : 'stopping';
}
