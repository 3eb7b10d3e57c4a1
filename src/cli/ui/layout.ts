import { alphaViewHeight, maxEdges, searching } from './oneshot.js';
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
  /** Edge lines per cell of the one-shot α view; undefined without a one-shot phase. */
  readonly alphaEdges?: number | undefined;
}

/** At this many columns or more, the chart and the Pareto front sit side by side. */
export const SIDE_BY_SIDE_COLUMNS = 110;

/** Lines the dashboard takes under `layout` (the header counted as three). */
export function height(state: DashboardState, layout: Layout): number {
  const gap = layout.gaps ? 1 : 0;
  const lanes = layout.lanes ? gap + Math.max(state.header.workers, state.lanes.length) : 0;
  const board =
    gap + 1 + (state.leaderboard.length === 0 ? 1 : 1 + Math.min(layout.leaderboardRows, state.leaderboard.length));
  const chart = layout.chartHeight === 0 ? 0 : 1 + (state.best.length === 0 ? 0 : layout.chartHeight);
  const shown = layout.paretoRows === undefined ? 0 : Math.min(layout.paretoRows, state.pareto.length);
  const pareto =
    layout.paretoRows === undefined ? 0 : 1 + (shown > 0 ? 1 + shown : 0) + (state.pareto.length > shown ? 1 : 0);
  const lower = layout.sideBySide ? Math.max(chart, pareto) : chart + pareto + (chart > 0 && pareto > 0 ? gap : 0);
  const failures = state.failures.length === 0 ? 0 : 1 + Math.min(layout.failureLines, state.failures.length);
  const alpha =
    state.oneShot === undefined || layout.alphaEdges === undefined
      ? 0
      : gap + alphaViewHeight(state.oneShot, layout.alphaEdges);
  return 3 + 1 + alpha + lanes + board + (lower > 0 ? gap + lower : 0) + failures + 1;
}

/** The α view's edge lines capped at `most` (nothing to cap without a one-shot phase). */
const alphaCap =
  (most: number) =>
  (l: Layout): Layout => ({ ...l, alphaEdges: l.alphaEdges === undefined ? undefined : Math.min(l.alphaEdges, most) });

/** Ways to save lines, mildest first; each is applied until the dashboard fits. */
const SHRINK: readonly ((l: Layout) => Layout)[] = [
  (l) => ({ ...l, paretoRows: l.paretoRows === undefined ? undefined : Math.min(l.paretoRows, 3) }),
  (l) => ({ ...l, failureLines: 0 }),
  (l) => ({ ...l, gaps: false }),
  alphaCap(8),
  (l) => ({ ...l, leaderboardRows: Math.min(l.leaderboardRows, 3) }),
  (l) => ({ ...l, chartHeight: Math.min(l.chartHeight, 1) }),
  (l) => ({ ...l, paretoRows: undefined }),
  alphaCap(4),
  (l) => ({ ...l, chartHeight: 0 }),
  (l) => ({ ...l, leaderboardRows: 1 }),
  alphaCap(0),
  (l) => ({ ...l, lanes: false }),
];

/** The fullest layout whose height is under `rows` (Ink redraws the whole screen when a frame fills it). */
export function layoutFor(state: DashboardState, columns: number, rows: number | undefined): Layout {
  const { oneShot } = state;
  // While the supernet trains no trial runs: idle lanes would only take room from the α view.
  const supernetOnly = oneShot !== undefined && searching(oneShot) && state.lanes.length === 0;
  let layout: Layout = {
    gaps: true,
    lanes: (state.status === 'starting' || state.status === 'running') && !supernetOnly,
    leaderboardRows: state.top,
    chartHeight: 3,
    paretoRows: state.header.objectives.length >= 2 ? 6 : undefined,
    failureLines: 2,
    sideBySide: state.header.objectives.length >= 2 && columns >= SIDE_BY_SIDE_COLUMNS,
    ...(oneShot === undefined ? {} : { alphaEdges: maxEdges(oneShot) }),
  };
  for (const shrink of SHRINK) {
    if (rows === undefined || height(state, layout) < rows) break;
    layout = shrink(layout);
  }
  return layout;
}
