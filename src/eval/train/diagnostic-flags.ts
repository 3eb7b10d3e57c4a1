/**
 * The flags of a run's diagnostics (docs/training.md, *Diagnostics*), judged on its series of checks
 * alone: no tensors, so they are tested on series written by hand. Each condition but an exploding
 * gradient must hold for `runLength` consecutive checks (one unlucky probe is not a diagnosis); each
 * flag is raised once per kind and layer.
 */
import type { DiagnosticCheck, DiagnosticFlag, FlagKind } from '../../core/diagnostics.js';
import type { DiagnosticThresholds } from './diagnostics-config.js';

/** A condition seen at one check: the figure and the threshold it crossed. */
type Seen = { readonly kind: FlagKind; readonly layer?: string; readonly value: number; readonly threshold: number };

export class FlagWatcher {
  readonly flags: DiagnosticFlag[] = [];
  private readonly runs = new Map<string, { firstStep: number; length: number }>();
  private readonly raised = new Set<string>();
  private previousNorm: number | undefined;

  constructor(private readonly t: DiagnosticThresholds) {}

  /** Takes the next check; returns the flags it raised. */
  observe(check: DiagnosticCheck): DiagnosticFlag[] {
    const raised: DiagnosticFlag[] = [];
    const raise = (seen: Seen, firstStep: number) => {
      const key = keyOf(seen);
      if (this.raised.has(key)) return;
      this.raised.add(key);
      raised.push({
        kind: seen.kind,
        ...(seen.layer === undefined ? {} : { layer: seen.layer }),
        firstStep,
        step: check.step,
        value: seen.value,
        threshold: seen.threshold,
      });
    };
    const exploding = this.exploding(check);
    if (exploding !== undefined) raise(exploding, check.step);
    const persistent = this.persistent(check);
    const now = new Set(persistent.map(keyOf));
    for (const key of this.runs.keys()) if (!now.has(key)) this.runs.delete(key);
    for (const seen of persistent) {
      const key = keyOf(seen);
      const run = this.runs.get(key) ?? { firstStep: check.step, length: 0 };
      run.length += 1;
      this.runs.set(key, run);
      if (run.length >= this.t.runLength) raise(seen, run.firstStep);
    }
    this.flags.push(...raised);
    return raised;
  }

  /** The global gradient norm above `explodingNorm` (or not finite), or a jump by more than `jumpFactor`. */
  private exploding(check: DiagnosticCheck): Seen | undefined {
    const norm = check.globalGradNorm;
    if (norm === undefined) return undefined;
    const previous = this.previousNorm;
    this.previousNorm = norm;
    if (!(norm <= this.t.explodingNorm)) return { kind: 'exploding', value: norm, threshold: this.t.explodingNorm };
    if (previous !== undefined && previous > 0 && norm / previous > this.t.jumpFactor)
      return { kind: 'exploding', value: norm / previous, threshold: this.t.jumpFactor };
    return undefined;
  }

  /** The conditions that must persist: vanishing, dead-relu, bn-drift, collapse. */
  private persistent(check: DiagnosticCheck): Seen[] {
    const t = this.t;
    const seen: Seen[] = [];
    for (const { layer, gradNorm, weightNorm } of check.layers ?? []) {
      // An exactly-zero gradient has no path to the loss (a conv that feeds only an NB201 `none` edge): not vanishing.
      if (gradNorm > 0 && weightNorm > 0 && gradNorm / weightNorm < t.vanishingRatio)
        seen.push({ kind: 'vanishing', layer, value: gradNorm / weightNorm, threshold: t.vanishingRatio });
    }
    for (const p of check.activations ?? []) {
      if (p.kind === 'relu' && (p.deadFraction ?? 0) > t.deadFraction)
        seen.push({ kind: 'dead-relu', layer: p.layer, value: p.deadFraction as number, threshold: t.deadFraction });
      if (p.kind === 'bn') {
        const [meanAbs, std] = [p.channelMeanAbs ?? 0, p.channelStd ?? 1];
        if (meanAbs > t.bnMean) seen.push({ kind: 'bn-drift', layer: p.layer, value: meanAbs, threshold: t.bnMean });
        else if (std > t.bnStdFactor)
          seen.push({ kind: 'bn-drift', layer: p.layer, value: std, threshold: t.bnStdFactor });
        else if (std < 1 / t.bnStdFactor)
          seen.push({ kind: 'bn-drift', layer: p.layer, value: std, threshold: 1 / t.bnStdFactor });
      }
      if (p.kind === 'block' && (p.channelStd ?? 1) < t.collapseStd)
        seen.push({ kind: 'collapse', layer: p.layer, value: p.channelStd as number, threshold: t.collapseStd });
    }
    return seen;
  }
}

/** Every flag a series of checks raises, in order. */
export function flagsOf(checks: readonly DiagnosticCheck[], thresholds: DiagnosticThresholds): DiagnosticFlag[] {
  const watcher = new FlagWatcher(thresholds);
  for (const check of checks) watcher.observe(check);
  return watcher.flags;
}

function keyOf(seen: Pick<Seen, 'kind' | 'layer'>): string {
  return `${seen.kind}\u0000${seen.layer ?? ''}`;
}
