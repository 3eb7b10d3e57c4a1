// A trial's diagnostics per layer (docs/training.md, *Diagnostics*), from its stored per-epoch
// records: what `nas show --trial N --diagnostics` prints and `nas report` charts.
import type { ActivationProbe, DiagnosticCheck, DiagnosticFlag } from '../../core/diagnostics.js';
import { trialDiagnostics, type DiagnosticEpoch } from '../../core/trial-diagnostics.js';
import type { Trial } from '../../core/trial.js';
import type { LayerOps } from './layer-ops.js';

/** A figure over the checks that measured it: `values[i]` at `steps[i]`; first, last, smallest and largest. */
export interface Trend {
  readonly first: number;
  readonly last: number;
  readonly min: number;
  readonly max: number;
  readonly steps: readonly number[];
  readonly values: readonly number[];
}

/** One layer: its gradient and weight norms over the checks, its probe at the last check that read it, the flags raised on it. */
export interface LayerDiagnostics {
  /** The tfjs layer name, as the diagnostics name it. */
  readonly layer: string;
  /** Its op label (`conv 3×3`, `relu`, `bn`, a block's op); null when the architecture no longer resolves. */
  readonly op: string | null;
  readonly gradNorm: Trend | null;
  readonly weightNorm: Trend | null;
  readonly activation: Omit<ActivationProbe, 'layer'> | null;
  readonly flags: readonly DiagnosticFlag[];
}

/** A trial's diagnostics, layer by layer, in the network's order. */
export interface DiagnosticsView {
  /** The check interval in steps; null when the trial has no record of it (still running). */
  readonly every: number | null;
  readonly checks: number;
  /** The steps of the first and the last check; null without checks. */
  readonly steps: readonly [number, number] | null;
  readonly flags: readonly DiagnosticFlag[];
  /** The global gradient norm (what an exploding gradient is judged on); null when gradients were not measured. */
  readonly global: Trend | null;
  readonly layers: readonly LayerDiagnostics[];
}

/** Whether a trial measured diagnostics: its record keeps them, or epochs of them are stored (a running trial). */
export function hasDiagnostics(trial: Trial, epochs: readonly DiagnosticEpoch[]): boolean {
  return trialDiagnostics(trial) !== undefined || epochs.length > 0;
}

/**
 * The per-layer view of `trial`'s stored `epochs` of diagnostics; null when it had none. The flags
 * are the record's (every flag of a finished run), else those stored with the epochs. Layers follow
 * `ops` (the network's node order) when given, else the order the checks list them.
 */
export function diagnosticsView(
  trial: Trial,
  epochs: readonly DiagnosticEpoch[],
  ops: LayerOps | undefined,
): DiagnosticsView | null {
  if (!hasDiagnostics(trial, epochs)) return null;
  const checks = epochs.flatMap((e) => e.checks).sort((a, b) => a.step - b.step);
  const recorded = trialDiagnostics(trial);
  const flags = recorded?.flags ?? epochs.flatMap((e) => e.flags);
  const first = checks[0];
  const last = checks.at(-1);
  return {
    every: recorded?.every ?? null,
    checks: checks.length,
    steps: first === undefined || last === undefined ? null : [first.step, last.step],
    flags,
    global: trend(checks.flatMap((c) => (c.globalGradNorm === undefined ? [] : [[c.step, c.globalGradNorm] as const]))),
    layers: layerNamesOf(checks, flags, ops).map((layer) => layerRow(layer, checks, flags, ops)),
  };
}

function layerRow(
  layer: string,
  checks: readonly DiagnosticCheck[],
  flags: readonly DiagnosticFlag[],
  ops: LayerOps | undefined,
): LayerDiagnostics {
  const norms = checks.flatMap((c) =>
    (c.layers ?? []).filter((l) => l.layer === layer).map((l) => ({ step: c.step, ...l })),
  );
  const probe = checks.flatMap((c) => (c.activations ?? []).filter((p) => p.layer === layer)).at(-1);
  const { layer: _, ...activation } = probe ?? { layer };
  return {
    layer,
    op: ops?.get(layer) ?? null,
    gradNorm: trend(norms.map((n) => [n.step, n.gradNorm] as const)),
    weightNorm: trend(norms.map((n) => [n.step, n.weightNorm] as const)),
    activation: probe === undefined ? null : (activation as Omit<ActivationProbe, 'layer'>),
    flags: flags.filter((f) => f.layer === layer),
  };
}

/** Every layer the checks or flags name: in `ops` order, then the others as first named. */
function layerNamesOf(
  checks: readonly DiagnosticCheck[],
  flags: readonly DiagnosticFlag[],
  ops: LayerOps | undefined,
): string[] {
  const named = new Set<string>();
  for (const c of checks) {
    for (const l of c.layers ?? []) named.add(l.layer);
    for (const p of c.activations ?? []) named.add(p.layer);
  }
  for (const f of flags) if (f.layer !== undefined) named.add(f.layer);
  const order = [...(ops?.keys() ?? [])];
  const inNetwork = order.filter((layer) => named.has(layer));
  const known = new Set(inNetwork);
  return [...inNetwork, ...[...named].filter((layer) => !known.has(layer))];
}

/** A series of [step, value] as a {@link Trend}; null when empty. Smallest and largest skip NaN. */
function trend(points: readonly (readonly [number, number])[]): Trend | null {
  const first = points[0];
  const last = points.at(-1);
  if (first === undefined || last === undefined) return null;
  const values = points.map(([, v]) => v);
  const numbers = values.filter((v) => !Number.isNaN(v));
  return {
    first: first[1],
    last: last[1],
    min: numbers.length === 0 ? Number.NaN : Math.min(...numbers),
    max: numbers.length === 0 ? Number.NaN : Math.max(...numbers),
    steps: points.map(([s]) => s),
    values,
  };
}
