import type { DiagnosticCheck, DiagnosticFlag, DiagnosticHistogram, FlagKind } from './diagnostics.js';

/**
 * A trial's diagnostics as its record keeps them: the check interval and every flag raised. The
 * checks and histograms are stored per epoch as the epochs end ({@link DiagnosticEpoch}, reported
 * live by the trial and read with `Storage.listDiagnostics`), so that listing trials does not read them.
 */
export type TrialDiagnostics = {
  readonly every: number;
  readonly flags: readonly DiagnosticFlag[];
};

/** One epoch's diagnostics as stored: the checks made in it, the histograms of its end, the flags it raised. */
export type DiagnosticEpoch = {
  readonly epoch: number;
  readonly checks: readonly DiagnosticCheck[];
  readonly histograms: readonly DiagnosticHistogram[];
  readonly flags: readonly DiagnosticFlag[];
};

/** What the trial record keeps of a run's diagnostics (a run's full diagnostics have more members). */
export function diagnosticsSummary(d: TrialDiagnostics): TrialDiagnostics {
  return { every: d.every, flags: d.flags };
}

/** A trial's recorded diagnostics: its outcome's, or for a trial without one (failed, pruned) its record's. */
export function trialDiagnostics(trial: {
  readonly outcome?: { readonly diagnostics?: TrialDiagnostics };
  readonly diagnostics?: TrialDiagnostics;
}): TrialDiagnostics | undefined {
  return trial.outcome?.diagnostics ?? trial.diagnostics;
}

/** The kinds of the flags raised, each once, in the order first raised. */
export function flagKinds(flags: readonly DiagnosticFlag[]): FlagKind[] {
  return [...new Set(flags.map((f) => f.kind))];
}
