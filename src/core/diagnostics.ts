/**
 * What a training run's diagnostics report (docs/training.md, *Diagnostics*): plain JSON, kept by the
 * trial's outcome, read by storage, `nas show`, the report and the dashboard. Figures are rounded to
 * 6 significant digits (a check is small; a run stores every check).
 */

/** The conditions a run is watched for; `train.diagnostics.stopOn` names those that stop it. */
export type FlagKind = 'vanishing' | 'exploding' | 'dead-relu' | 'bn-drift' | 'collapse';

export const FLAG_KINDS: readonly FlagKind[] = ['vanishing', 'exploding', 'dead-relu', 'bn-drift', 'collapse'];

/** One layer's gradient and weight norms at a check: √(Σ‖·‖²) over its trainable weights. */
export type LayerNorms = { readonly layer: string; readonly gradNorm: number; readonly weightNorm: number };

/**
 * Where a probe reads: after a ReLU-family activation (`relu`, `relu6`), after a BatchNorm (`bn`), or
 * at the output of a block or cell (`block`).
 */
export type ProbeKind = 'relu' | 'bn' | 'block';

/**
 * One probed layer's output on the probe batch in inference mode. `mean`, `std`: over every value.
 * `relu` probes add `zeroFraction` (values exactly 0) and `deadFraction` (channels 0 for every example
 * and position); `bn` and `block` probes add `channelMeanAbs` (the mean over channels of |the channel's
 * mean|) and `channelStd` (the mean over channels of the channel's std), what "far from N(0, 1)" and
 * "collapsed to a constant" are judged on. A `bn` probe's two channel figures are of its normalised
 * value (y − β) / γ, N(0, 1) per channel when the moving statistics fit the data.
 */
export type ActivationProbe = {
  readonly layer: string;
  readonly kind: ProbeKind;
  readonly mean: number;
  readonly std: number;
  readonly zeroFraction?: number;
  readonly deadFraction?: number;
  readonly channelMeanAbs?: number;
  readonly channelStd?: number;
};

/**
 * One check, made at a 1-based `step` (every `every` steps and at the last step of each epoch): the
 * gradient of that step's batch at the weights it updates (before clipping), those weights' norms, and
 * the probes through them.
 */
export type DiagnosticCheck = {
  readonly step: number;
  readonly epoch: number;
  /** √(Σ‖g‖²) over every trainable weight; absent when `gradients` is off, as `layers`. */
  readonly globalGradNorm?: number;
  readonly layers?: readonly LayerNorms[];
  /** Absent when `activations` is off. */
  readonly activations?: readonly ActivationProbe[];
};

/**
 * A histogram of one layer's weights (at the end of an epoch), gradients (its last step's) or, for a
 * probed layer, activations (its output on the probe batch at the epoch's last check), equal-width bins
 * over [min, max].
 */
export type DiagnosticHistogram = {
  readonly epoch: number;
  readonly layer: string;
  readonly kind: 'weight' | 'gradient' | 'activation';
  readonly min: number;
  readonly max: number;
  readonly counts: readonly number[];
};

/**
 * A condition seen: raised once per kind and layer, at `step`, the check that completed the run of
 * `runLength` consecutive checks that began at `firstStep` (an exploding gradient needs one check).
 * `value` is the measured figure at `step`; `threshold` the one it crossed. `layer` is absent for the
 * global gradient norm.
 */
export type DiagnosticFlag = {
  readonly kind: FlagKind;
  readonly layer?: string;
  readonly firstStep: number;
  readonly step: number;
  readonly value: number;
  readonly threshold: number;
};

/** A run's diagnostics: every check, the histograms (with `histograms`), the flags raised. */
export type TrainDiagnostics = {
  readonly every: number;
  readonly checks: readonly DiagnosticCheck[];
  readonly histograms?: readonly DiagnosticHistogram[];
  readonly flags: readonly DiagnosticFlag[];
};
