// The experiment-level view of the diagnostics: which ops get flagged, how often, by kind, across
// every trial that measured diagnostics: what tends to go wrong in the space.
import { FLAG_KINDS, type DiagnosticFlag, type FlagKind } from '../../core/diagnostics.js';
import type { LayerOps } from '../format/layer-ops.js';

/** The row of the flags without a layer (an exploding global gradient norm). */
export const GLOBAL_OP = '(global norm)';
/** The row of the flags on layers of networks that no longer resolve. */
export const UNKNOWN_OP = '?';

/** One trial that measured diagnostics: its flags, and its layers' op labels (undefined: not resolved). */
export interface DiagnosedTrial {
  readonly number: number;
  readonly flags: readonly DiagnosticFlag[];
  readonly ops: LayerOps | undefined;
}

/** One op: its flags by kind, how many trials and layers they fell on, and how many layers of it the diagnosed networks have. */
export interface FlagCountRow {
  readonly op: string;
  readonly counts: Readonly<Record<FlagKind, number>>;
  readonly total: number;
  /** Trials with at least one flag on this op. */
  readonly trials: number;
  /** Flagged layers, each (trial, layer) once. */
  readonly layers: number;
  /** Layers of this op in the diagnosed trials' networks (the global norm: one per trial); null for {@link UNKNOWN_OP}. */
  readonly of: number | null;
}

/** Every flagged op with its counts, most flags first (ties: by name). */
export function flagCounts(trials: readonly DiagnosedTrial[]): FlagCountRow[] {
  const rows = new Map<string, { counts: Record<FlagKind, number>; trials: Set<number>; layers: Set<string> }>();
  for (const t of trials) {
    for (const f of t.flags) {
      const op = f.layer === undefined ? GLOBAL_OP : (t.ops?.get(f.layer) ?? UNKNOWN_OP);
      let row = rows.get(op);
      if (row === undefined) {
        row = {
          counts: Object.fromEntries(FLAG_KINDS.map((k) => [k, 0])) as Record<FlagKind, number>,
          trials: new Set(),
          layers: new Set(),
        };
        rows.set(op, row);
      }
      row.counts[f.kind] += 1;
      row.trials.add(t.number);
      row.layers.add(`${t.number}\u0000${f.layer ?? ''}`);
    }
  }
  return [...rows]
    .map(([op, r]) => ({
      op,
      counts: r.counts,
      total: FLAG_KINDS.reduce((n, k) => n + r.counts[k], 0),
      trials: r.trials.size,
      layers: r.layers.size,
      of: layersOf(op, trials),
    }))
    .sort((a, b) => b.total - a.total || a.op.localeCompare(b.op));
}

function layersOf(op: string, trials: readonly DiagnosedTrial[]): number | null {
  if (op === UNKNOWN_OP) return null;
  if (op === GLOBAL_OP) return trials.length;
  return trials.reduce((n, t) => n + [...(t.ops?.values() ?? [])].filter((o) => o === op).length, 0);
}
