import type { DashboardState } from './state.js';

/** How much of each part the dashboard shows, so that it fits the terminal's height. */
export interface Layout {
  /** A blank line between parts. */
  readonly gaps: boolean;
  readonly lanes: boolean;
  readonly leaderboardRows: number;
  /** Rows of the best-so-far chart; 0 hides it. */
  readonly chartHeight: number;
  /** Rows of the Pareto front; undefined hides it (single objective, or no room). */
  readonly paretoRows: number | undefined;
  /** Failures listed with their messages under the count. */
  readonly failureLines: number;
  /** Chart and Pareto front side by side (wide terminals). */
  readonly sideBySide: boolean;
}

/** At this many columns or more, the chart and the Pareto front sit side by side. */
export const SIDE_BY_SIDE_COLUMNS = 110;

/** Lines the dashboard takes under `layout` (the header counted as three). */
export function height(state: DashboardState, layout: Layout): number {
  const gap = layout.gaps ? 1 : 0;
  const lanes = layout.lanes ? gap + Math.max(state.header.workers, state.lanes.length) : 0;
  const board = gap + 1 + (state.leaderboard.length === 0 ? 1 : 1 + Math.min(layout.leaderboardRows, state.leaderboard.length));
  const chart = layout.chartHeight === 0 ? 0 : 1 + (state.best.length === 0 ? 0 : layout.chartHeight);
  const shown = layout.paretoRows === undefined ? 0 : Math.min(layout.paretoRows, state.pareto.length);
  const pareto = layout.paretoRows === undefined ? 0 : 1 + (shown > 0 ? 1 + shown : 0) + (state.pareto.length > shown ? 1 : 0);
  const lower = layout.sideBySide ? Math.max(chart, pareto) : chart + pareto + (chart > 0 && pareto > 0 ? gap : 0);
  const failures = state.failures.length === 0 ? 0 : 1 + Math.min(layout.failureLines, state.failures.length);
  return 3 + 1 + lanes + board + (lower > 0 ? gap + lower : 0) + failures + 1;
}

/** Ways to save lines, mildest first; each is applied until the dashboard fits. */
const SHRINK: readonly ((l: Layout) => Layout)[] = [
  (l) => ({ ...l, paretoRows: l.paretoRows === undefined ? undefined : Math.min(l.paretoRows, 3) }),
  (l) => ({ ...l, failureLines: 0 }),
  (l) => ({ ...l, gaps: false }),
  (l) => ({ ...l, leaderboardRows: Math.min(l.leaderboardRows, 3) }),
  (l) => ({ ...l, chartHeight: Math.min(l.chartHeight, 1) }),
  (l) => ({ ...l, paretoRows: undefined }),
  (l) => ({ ...l, chartHeight: 0 }),
  (l) => ({ ...l, leaderboardRows: 1 }),
  (l) => ({ ...l, lanes: false }),
];

/** The fullest layout whose height is under `rows` (Ink redraws the whole screen when a frame fills it). */
export function layoutFor(state: DashboardState, columns: number, rows: number | undefined): Layout {
  let layout: Layout = {
    gaps: true,
    lanes: state.status === 'starting' || state.status === 'running',
    leaderboardRows: state.top,
    chartHeight: 3,
    paretoRows: state.header.objectives.length >= 2 ? 6 : undefined,
    failureLines: 2,
    sideBySide: state.header.objectives.length >= 2 && columns >= SIDE_BY_SIDE_COLUMNS,
  };
  for (const shrink of SHRINK) {
    if (rows === undefined || height(state, layout) < rows) break;
    layout = shrink(layout);
  }
  return layout;
}
