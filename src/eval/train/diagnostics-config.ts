/**
 * `train.diagnostics` (docs/training.md, *Diagnostics*): what is measured, how often, the thresholds of
 * the flags, and which flags stop the run. `true` is everything at the defaults; the object form turns
 * on only the parts it names (so `{ gradients: true }` is gradients alone, as before).
 */
import { FLAG_KINDS, type FlagKind } from '../../core/diagnostics.js';

/** The figures the flags are judged against (diagnostic-flags.ts); each documented with its default. */
export type DiagnosticThresholds = {
  /** vanishing: a layer's gradient norm / weight norm below this … */
  readonly vanishingRatio: number;
  /** … and every condition but an exploding gradient: for this many consecutive checks. */
  readonly runLength: number;
  /** exploding: the global gradient norm above this … */
  readonly explodingNorm: number;
  /** … or more than this many times the previous check's. */
  readonly jumpFactor: number;
  /** dead-relu: the fraction of a ReLU's channels that are 0 on the whole probe batch above this. */
  readonly deadFraction: number;
  /** bn-drift: the mean over channels of |a channel's mean| after a BatchNorm above this … */
  readonly bnMean: number;
  /** … or the mean of its channels' std outside [1 / bnStdFactor, bnStdFactor]. */
  readonly bnStdFactor: number;
  /** collapse: the mean of a block output's channels' std (over examples and positions) below this. */
  readonly collapseStd: number;
};

export const DEFAULT_THRESHOLDS: DiagnosticThresholds = Object.freeze({
  vanishingRatio: 1e-6,
  runLength: 3,
  explodingNorm: 1e3,
  jumpFactor: 20,
  deadFraction: 0.9,
  bnMean: 1,
  bnStdFactor: 2,
  collapseStd: 1e-3,
});

/** The default number of steps between two checks. */
export const DEFAULT_EVERY = 50;

export type DiagnosticsConfig =
  | true
  | {
      /** Steps between two checks (default 50); the last step of each epoch is checked too. */
      readonly every?: number;
      /** Per-layer gradient and weight norms at every check. */
      readonly gradients?: boolean;
      /** ReLU, BatchNorm and block-output statistics on the probe batch at every check. */
      readonly activations?: boolean;
      /** Per epoch, a histogram of each layer's weights and gradients, and of each probe's output (with `activations`). */
      readonly histograms?: boolean;
      readonly thresholds?: Partial<DiagnosticThresholds>;
      /** Flags that stop the run (DiagnosticsStopError, reason `diagnostics`). */
      readonly stopOn?: readonly FlagKind[];
    };

export type ResolvedDiagnostics = {
  /** Any part on: the run measures (off costs nothing: no diagnose signature is compiled). */
  readonly enabled: boolean;
  readonly every: number;
  readonly gradients: boolean;
  readonly activations: boolean;
  readonly histograms: boolean;
  readonly thresholds: DiagnosticThresholds;
  readonly stopOn: readonly FlagKind[];
};

/** Number of bins of every histogram. */
export const HISTOGRAM_BINS = 30;

/** What each flag is judged on: gradient norms, or probes. */
const NEEDS: Readonly<Record<FlagKind, 'gradients' | 'activations'>> = {
  vanishing: 'gradients',
  exploding: 'gradients',
  'dead-relu': 'activations',
  'bn-drift': 'activations',
  collapse: 'activations',
};

type Problem = (path: string, expected: string, got: unknown) => void;

/** Checks `diagnostics` (problems named `diagnostics.<field>`) and fills its defaults. */
export function resolveDiagnostics(config: DiagnosticsConfig | undefined, problem: Problem): ResolvedDiagnostics {
  if (config === true)
    return {
      enabled: true,
      every: DEFAULT_EVERY,
      gradients: true,
      activations: true,
      histograms: true,
      thresholds: DEFAULT_THRESHOLDS,
      stopOn: [],
    };
  if (config !== undefined && (typeof config !== 'object' || config === null))
    problem(
      'diagnostics',
      'true or an object { every?, gradients?, activations?, histograms?, thresholds?, stopOn? }',
      config,
    );
  const c = typeof config === 'object' && config !== null ? config : {};
  const every = c.every ?? DEFAULT_EVERY;
  if (!(Number.isInteger(every) && every > 0)) problem('diagnostics.every', 'a positive integer', c.every);
  for (const key of ['gradients', 'activations', 'histograms'] as const) {
    if (c[key] !== undefined && typeof c[key] !== 'boolean') problem(`diagnostics.${key}`, 'true or false', c[key]);
  }
  // An object that names none of the parts (only `every`, thresholds, stopOn) turns them all on.
  const all =
    config !== undefined && c.gradients === undefined && c.activations === undefined && c.histograms === undefined;
  const parts = {
    gradients: all || c.gradients === true,
    activations: all || c.activations === true,
    histograms: all || c.histograms === true,
  };
  const given = typeof c.thresholds === 'object' && c.thresholds !== null ? c.thresholds : {};
  if (c.thresholds !== undefined && given !== c.thresholds)
    problem('diagnostics.thresholds', 'an object of thresholds', c.thresholds);
  const thresholds = { ...DEFAULT_THRESHOLDS, ...given };
  checkThresholds(given, problem);
  const stopOn = c.stopOn ?? [];
  if (!Array.isArray(stopOn))
    problem('diagnostics.stopOn', `a list of ${FLAG_KINDS.map((k) => `'${k}'`).join(', ')}`, stopOn);
  else {
    (stopOn as readonly FlagKind[]).forEach((kind, i) => {
      if (!FLAG_KINDS.includes(kind))
        problem(`diagnostics.stopOn[${i}]`, `one of ${FLAG_KINDS.map((k) => `'${k}'`).join(', ')}`, kind);
      else if (!parts[NEEDS[kind]])
        problem(
          `diagnostics.stopOn[${i}]`,
          `diagnostics.${NEEDS[kind]}: true ('${kind}' is judged on ${NEEDS[kind]})`,
          kind,
        );
    });
  }
  return {
    enabled: parts.gradients || parts.activations || parts.histograms,
    every,
    ...parts,
    thresholds,
    stopOn: Array.isArray(stopOn) ? [...stopOn] : [],
  };
}

function checkThresholds(t: Partial<DiagnosticThresholds>, problem: Problem): void {
  const known = Object.keys(DEFAULT_THRESHOLDS);
  for (const key of Object.keys(t))
    if (!known.includes(key)) problem(`diagnostics.thresholds.${key}`, `one of ${known.join(', ')}`, key);
  const positive = (key: keyof DiagnosticThresholds) => {
    const v = t[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v > 0))
      problem(`diagnostics.thresholds.${key}`, 'a positive number', v);
  };
  (['vanishingRatio', 'explodingNorm', 'bnMean', 'collapseStd'] as const).forEach(positive);
  if (t.runLength !== undefined && !(Number.isInteger(t.runLength) && t.runLength > 0))
    problem('diagnostics.thresholds.runLength', 'a positive integer', t.runLength);
  if (t.jumpFactor !== undefined && !(typeof t.jumpFactor === 'number' && t.jumpFactor > 1))
    problem('diagnostics.thresholds.jumpFactor', 'a number > 1', t.jumpFactor);
  if (t.bnStdFactor !== undefined && !(typeof t.bnStdFactor === 'number' && t.bnStdFactor > 1))
    problem('diagnostics.thresholds.bnStdFactor', 'a number > 1', t.bnStdFactor);
  if (
    t.deadFraction !== undefined &&
    !(typeof t.deadFraction === 'number' && t.deadFraction >= 0 && t.deadFraction < 1)
  )
    problem('diagnostics.thresholds.deadFraction', 'a number in [0, 1)', t.deadFraction);
}
