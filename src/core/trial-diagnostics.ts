import type { DiagnosticCheck, DiagnosticFlag, DiagnosticHistogram } from './diagnostics.js';

/**
 * A trial's diagnostics as its record keeps them: the check interval and every flag raised. The
 * checks and histograms a run measured travel with its outcome (`checks`, `histograms`) and are
 * stored per epoch ({@link DiagnosticEpoch}, read with `Storage.listDiagnostics`), so that listing
 * trials does not read them.
 */
export type TrialDiagnostics = {
  readonly every: number;
  readonly flags: readonly DiagnosticFlag[];
  readonly checks?: readonly DiagnosticCheck[];
  readonly histograms?: readonly DiagnosticHistogram[];
};

/** One epoch's diagnostics as stored: the checks made in it, the histograms of its end, the flags it raised. */
export type DiagnosticEpoch = {
  readonly epoch: number;
  readonly checks: readonly DiagnosticCheck[];
  readonly histograms: readonly DiagnosticHistogram[];
  readonly flags: readonly DiagnosticFlag[];
};

/** What the trial record keeps of a run's diagnostics. */
export function diagnosticsSummary(d: TrialDiagnostics): TrialDiagnostics {
  return { every: d.every, flags: d.flags };
}

/** A run's diagnostics split by epoch (epochs with nothing measured are left out); a flag goes to the epoch of the check that raised it. */
export function diagnosticEpochs(d: TrialDiagnostics): DiagnosticEpoch[] {
  const epochOfStep = new Map((d.checks ?? []).map((c) => [c.step, c.epoch]));
  const epochs = new Map<
    number,
    { checks: DiagnosticCheck[]; histograms: DiagnosticHistogram[]; flags: DiagnosticFlag[] }
  >();
  const at = (epoch: number) => {
    let e = epochs.get(epoch);
    if (e === undefined) epochs.set(epoch, (e = { checks: [], histograms: [], flags: [] }));
    return e;
  };
  for (const c of d.checks ?? []) at(c.epoch).checks.push(c);
  for (const h of d.histograms ?? []) at(h.epoch).histograms.push(h);
  for (const f of d.flags) {
    const epoch = epochOfStep.get(f.step);
    if (epoch !== undefined) at(epoch).flags.push(f);
  }
  return [...epochs].sort(([a], [b]) => a - b).map(([epoch, e]) => ({ epoch, ...e }));
}
