import type { PrunedAt, RunEvent, TrialProgress } from '../../core/events.js';
import type { FailureReason, Trial, TrialState } from '../../core/trial.js';
import type { FlagKind } from '../../core/diagnostics.js';
import { flagKinds } from '../../core/trial-diagnostics.js';
import { countsAgainstBudget } from '../../run/driver.js';
import { lostOf } from '../../run/queue/lost-attempts.js';
import { workerOf } from '../../run/queue/worker-note.js';
import { metricOf } from '../../search/objective.js';
import { DEFAULT_OBJECTIVE, type DashboardHeader } from './header.js';
import { compareTrials, paretoInsert } from './objectives.js';
import { reduceOneShot, type OneShotState } from './oneshot.js';
import { rungOf } from './rungs.js';

/** A worker lane: one running trial and how far it is. */
export interface Lane {
  readonly index: number;
  readonly trial: Trial;
  /** The epoch in progress, 1-based. */
  readonly epoch: number;
  /** Epochs of this trial (its fidelity, else the header's), when known. */
  readonly epochs: number | undefined;
  /** How far the epoch in progress is, 0..1. */
  readonly fraction: number;
  /** Mean training loss of the epoch so far. */
  readonly loss: number | undefined;
  /** Validation accuracy after the last finished epoch. */
  readonly accuracy: number | undefined;
  readonly note: string | undefined;
  /** The worker (host:pid) running the trial, when a `nas worker` runs it (docs/distributed.md). */
  readonly worker: string | undefined;
  /** The kinds of the diagnostics flags raised so far, in the order first raised. */
  readonly flags: readonly FlagKind[];
  /** The successive-halving rung the trial runs at (its fidelity among the header's rungs). */
  readonly rung: number | undefined;
  /** Where the driver's pruner stopped the trial; the lane shows it until the trial is recorded. */
  readonly pruned: PrunedAt | undefined;
}

/** A failed trial and why. */
export interface Failure {
  readonly number: number;
  readonly reason: FailureReason | undefined;
  readonly message: string | undefined;
}

/** Everything the dashboard shows, folded from the driver's events by {@link reduce}. Plain data. */
export interface DashboardState {
  readonly header: DashboardHeader;
  readonly top: number;
  readonly resumed: boolean;
  /** `t` of experiment-started. */
  readonly startedAt: number | undefined;
  readonly status: 'starting' | 'running' | 'finished' | 'stopped';
  /** Running trials, by lane index. */
  readonly lanes: readonly Lane[];
  /** Trials finished in this session, in the order they finished (printed above the dashboard). */
  readonly finished: readonly Trial[];
  /** The best `top` complete trials by the primary objective, best first. */
  readonly leaderboard: readonly Trial[];
  /** The primary objective's best value after each complete trial. */
  readonly best: readonly number[];
  /** Complete trials no other dominates on the objectives (meaningful with two or more). */
  readonly pareto: readonly Trial[];
  readonly counts: Readonly<Record<TrialState, number>>;
  /** Finished trials that count against the budget (cut-short ones do not). */
  readonly done: number;
  readonly failures: readonly Failure[];
  /** Wall time of the trials finished in this session, for the ETA. */
  readonly trialTime: { readonly totalMs: number; readonly count: number };
  readonly stopping: { readonly why: string; readonly forced: boolean } | undefined;
  readonly strategyDone: string | undefined;
  /** The one-shot phase (DARTS), once `oneshot-started` came. */
  readonly oneShot?: OneShotState;
}

/** The state before any event; `history` (finished trials of a resumed experiment) fills the leaderboard and counts. */
export function initialState(
  header: DashboardHeader,
  options: { readonly top?: number; readonly history?: readonly Trial[] } = {},
): DashboardState {
  const empty: DashboardState = {
    header: header.objectives.length > 0 ? header : { ...header, objectives: [DEFAULT_OBJECTIVE] },
    top: options.top ?? 5,
    resumed: false,
    startedAt: undefined,
    status: 'starting',
    lanes: [],
    finished: [],
    leaderboard: [],
    best: [],
    pareto: [],
    counts: { RUNNING: 0, COMPLETE: 0, FAILED: 0, PRUNED: 0 },
    done: 0,
    failures: [],
    trialTime: { totalMs: 0, count: 0 },
    stopping: undefined,
    strategyDone: undefined,
  };
  const history = [...(options.history ?? [])]
    .filter((t) => t.state !== 'RUNNING')
    .sort((a, b) => (a.finishedAt ?? 0) - (b.finishedAt ?? 0));
  return history.reduce((state, trial) => ({ ...recordResult(state, trial), finished: [] }), empty);
}

/** The state after `event`. Pure: returns a new state and never changes its arguments. */
export function reduce(state: DashboardState, event: RunEvent): DashboardState {
  switch (event.type) {
    case 'experiment-started':
      return {
        ...state,
        header: { ...state.header, experiment: event.experiment, budget: event.budget, workers: event.workers },
        resumed: event.resumed,
        startedAt: event.t,
        status: 'running',
      };
    case 'trial-started':
      return { ...state, lanes: addLane(state, event.trial), counts: bump(state.counts, 'RUNNING', 1) };
    case 'trial-progress':
      return {
        ...state,
        lanes: state.lanes.map((lane) =>
          lane.trial.id === event.trialId ? prune(advance(lane, event.progress), event.pruned) : lane,
        ),
      };
    case 'trial-finished':
      return finish(state, event.trial);
    case 'strategy-done':
      return { ...state, strategyDone: event.why };
    case 'stopping':
      return { ...state, stopping: { why: state.stopping?.why ?? event.why, forced: state.stopping !== undefined } };
    case 'experiment-finished':
      return { ...state, status: event.status };
    case 'owner-takeover':
      return state;
    case 'oneshot-started':
    case 'oneshot-progress':
    case 'oneshot-epoch': {
      const oneShot = reduceOneShot(state.oneShot, event);
      return oneShot === undefined ? state : { ...state, oneShot };
    }
  }
}

function bump(counts: DashboardState['counts'], key: TrialState, by: number): DashboardState['counts'] {
  return { ...counts, [key]: counts[key] + by };
}

function addLane(state: DashboardState, trial: Trial): readonly Lane[] {
  const used = new Set(state.lanes.map((l) => l.index));
  let index = 0;
  while (used.has(index)) index++;
  const epochs = trial.fidelity?.['epochs'] ?? state.header.epochs;
  const lane: Lane = {
    index,
    trial,
    epoch: 1,
    epochs,
    fraction: 0,
    loss: undefined,
    accuracy: undefined,
    note: undefined,
    worker: undefined,
    flags: [],
    rung: rungOf(trial, state.header.rungs),
    pruned: undefined,
  };
  return [...state.lanes, lane].sort((a, b) => a.index - b.index);
}

function advance(lane: Lane, progress: TrialProgress): Lane {
  switch (progress.kind) {
    case 'batch':
      return { ...lane, epoch: progress.epoch, fraction: progress.fraction, loss: progress.loss };
    case 'epoch': {
      const { epoch, validationAccuracy, trainLoss } = progress.metrics;
      const last = lane.epochs !== undefined && epoch >= lane.epochs;
      return {
        ...lane,
        epoch: last ? epoch : epoch + 1,
        fraction: last ? 1 : 0,
        loss: trainLoss,
        accuracy: Number.isFinite(validationAccuracy) ? validationAccuracy : lane.accuracy,
      };
    }
    case 'note': {
      const worker = workerOf(progress);
      if (worker !== undefined) return { ...lane, worker };
      // A lost attempt: the trial waits for another worker, whose note names it.
      return lostOf(progress) === undefined
        ? { ...lane, note: progress.text }
        : { ...lane, note: progress.text, worker: undefined };
    }
    case 'diagnostics':
      return progress.record.flags.length === 0
        ? lane
        : { ...lane, flags: [...new Set([...lane.flags, ...flagKinds(progress.record.flags)])] };
    case 'report': {
      const { validationAccuracy } = progress.report;
      return Number.isFinite(validationAccuracy) ? { ...lane, accuracy: validationAccuracy } : lane;
    }
  }
}

/** A lane whose trial was pruned stays at the epoch it was pruned after, that epoch done. */
function prune(lane: Lane, at: PrunedAt | undefined): Lane {
  return at === undefined ? lane : { ...lane, pruned: at, epoch: at.step, fraction: 1 };
}

function finish(state: DashboardState, trial: Trial): DashboardState {
  const lane = state.lanes.find((l) => l.trial.id === trial.id);
  const recorded = recordResult(state, trial);
  if (lane === undefined) return recorded;
  const ms = (trial.finishedAt ?? trial.startedAt) - trial.startedAt;
  const cutShort = !countsAgainstBudget(trial);
  return {
    ...recorded,
    lanes: state.lanes.filter((l) => l !== lane),
    counts: bump(recorded.counts, 'RUNNING', -1),
    trialTime: cutShort ? state.trialTime : { totalMs: state.trialTime.totalMs + ms, count: state.trialTime.count + 1 },
  };
}

/** Counts, failures, leaderboard, best-so-far and front after a finished trial (lanes untouched). */
function recordResult(state: DashboardState, trial: Trial): DashboardState {
  const primary = state.header.objectives[0] ?? DEFAULT_OBJECTIVE;
  const value = metricOf(trial, primary.metric);
  const failure: Failure = { number: trial.number, reason: trial.reason, message: trial.message };
  const ranked =
    value === undefined
      ? state.leaderboard
      : [...state.leaderboard, trial].sort(compareTrials(primary)).slice(0, state.top);
  const leader = ranked[0];
  const best =
    value === undefined || leader === undefined
      ? state.best
      : [...state.best, metricOf(leader, primary.metric) ?? value];
  return {
    ...state,
    finished: [...state.finished, trial],
    counts: bump(state.counts, trial.state, 1),
    done: state.done + (countsAgainstBudget(trial) ? 1 : 0),
    failures: trial.state === 'FAILED' ? [...state.failures, failure] : state.failures,
    leaderboard: ranked,
    best,
    pareto:
      trial.state === 'COMPLETE' && state.header.objectives.length >= 2
        ? paretoInsert(state.pareto, trial, state.header.objectives)
        : state.pareto,
  };
}
