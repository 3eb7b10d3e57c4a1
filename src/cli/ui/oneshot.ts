// The one-shot (DARTS) part of the dashboard state: folded from oneshot-* events, plus the pure
// helpers the α view and the layout share (which edges show, how many lines they take).
import { isJsonObject, type Json } from '../../core/arch.js';
import type { OneShotEpoch, OneShotStart, RunEvent } from '../../core/events.js';

/** Epochs of top-op weight kept per edge (the view's trend column). */
export const ALPHA_HISTORY = 8;

/** A relaxed cell as {@link OneShotStart} describes it. */
export type RelaxedCell = OneShotStart['cells'][number];

/** A relaxed edge: its id, end points and candidate ops. */
export type RelaxedEdge = RelaxedCell['edges'][number];

/** The one-shot phase as the dashboard shows it. Plain data. */
export interface OneShotState {
  readonly start: OneShotStart;
  /** The epoch in progress, 1-based (the last one once it is done). */
  readonly epoch: number;
  /** How far the epoch in progress is, 0..1. */
  readonly fraction: number;
  /** Running training loss of the epoch in progress. */
  readonly loss: number | undefined;
  /** The last finished epoch. */
  readonly last: OneShotEpoch | undefined;
  /** Per cell name, per edge (relaxation order): the top op's weight after each of the last {@link ALPHA_HISTORY} epochs. */
  readonly history: Readonly<Record<string, readonly (readonly number[])[]>>;
}

type OneShotEvent = Extract<RunEvent, { type: 'oneshot-started' | 'oneshot-progress' | 'oneshot-epoch' }>;

/** The one-shot state after `event`; progress and epochs before any `oneshot-started` are ignored (undefined stays). Pure. */
export function reduceOneShot(state: OneShotState | undefined, event: OneShotEvent): OneShotState | undefined {
  switch (event.type) {
    case 'oneshot-started': {
      const { start } = event;
      const history = Object.fromEntries(start.cells.map((c) => [c.name, c.edges.map(() => [])]));
      return { start, epoch: start.startEpoch, fraction: 0, loss: undefined, last: undefined, history };
    }
    case 'oneshot-progress':
      return state === undefined
        ? undefined
        : { ...state, epoch: event.epoch, fraction: event.fraction, loss: event.loss };
    case 'oneshot-epoch':
      return state === undefined ? undefined : afterEpoch(state, event.epoch);
  }
}

function afterEpoch(state: OneShotState, e: OneShotEpoch): OneShotState {
  const lastEpoch = e.epoch >= e.epochs;
  const history = Object.fromEntries(
    state.start.cells.map((c) => {
      const before = state.history[c.name] ?? [];
      const rows = e.weights[c.name] ?? [];
      return [c.name, c.edges.map((_, i) => [...(before[i] ?? []), topWeight(rows[i] ?? [])].slice(-ALPHA_HISTORY))];
    }),
  );
  return {
    ...state,
    epoch: lastEpoch ? e.epoch : e.epoch + 1,
    fraction: lastEpoch ? 1 : 0,
    loss: e.trainLoss,
    last: e,
    history,
  };
}

/** The largest weight of a row (NaN for an empty row). */
function topWeight(row: readonly number[]): number {
  return row.length === 0 ? Number.NaN : Math.max(...row);
}

/** The index of the largest weight of a row (the first on ties); undefined for an empty row. */
export function strongest(row: readonly number[]): number | undefined {
  let best: number | undefined;
  row.forEach((w, i) => {
    if (best === undefined || w > (row[best] as number)) best = i;
  });
  return best;
}

/** Whether the supernet is still training (its last epoch has not finished). */
export function searching(state: OneShotState): boolean {
  return state.last === undefined || state.last.epoch < state.last.epochs;
}

/**
 * The op the derived architecture keeps on an edge, read from the derived sample: the DARTS shape
 * (`{ [cell]: [[op, input], …] }`, two kept inputs per node from node 2) or the NB201 shape
 * (`{ node<k>: [op from 0, op from 1, …] }`). Undefined when the edge is not kept or the shape is another.
 */
export function chosenOp(derived: Json | undefined, cell: string, edge: RelaxedEdge): string | undefined {
  if (!isJsonObject(derived)) return undefined;
  const list = derived[cell];
  if (Array.isArray(list)) {
    const hit = list.find((e, i) => Array.isArray(e) && Math.floor(i / 2) + 2 === edge.to && e[1] === edge.from);
    return Array.isArray(hit) && typeof hit[0] === 'string' ? hit[0] : undefined;
  }
  const node = derived[`node${edge.to}`];
  const op = Array.isArray(node) ? node[edge.from] : undefined;
  return typeof op === 'string' ? op : undefined;
}

/**
 * Indices of the edges of `cell` shown when at most `limit` fit: the edges the derived architecture
 * keeps first, then the others, each in relaxation order; the result in relaxation order.
 */
export function visibleEdges(state: OneShotState, cell: RelaxedCell, limit: number): number[] {
  const all = cell.edges.map((_, i) => i);
  if (limit >= all.length) return all;
  const kept = (i: number) => chosenOp(state.last?.derived, cell.name, cell.edges[i] as RelaxedEdge) !== undefined;
  const picked = [...all.filter(kept), ...all.filter((i) => !kept(i))].slice(0, Math.max(0, limit));
  return picked.sort((a, b) => a - b);
}

/** The most edges of any cell (the α view's edge limit that shows them all). */
export function maxEdges(state: OneShotState): number {
  return Math.max(0, ...state.start.cells.map((c) => c.edges.length));
}

/** Lines the α view takes with at most `limit` edge lines per cell: header, per cell its legend, edges and "… more", the derived architecture. */
export function alphaViewHeight(state: OneShotState, limit: number): number {
  const cells = state.start.cells.reduce((sum, c) => {
    const shown = Math.min(limit, c.edges.length);
    return sum + 1 + shown + (shown < c.edges.length ? 1 : 0);
  }, 0);
  return 1 + cells + (state.last === undefined ? 0 : 1);
}
