/**
 * Training diagnostics of the design's part 6 (docs/training.md, *Diagnostics*): at every check,
 * per-layer gradient and weight norms (6.1: vanishing / exploding gradients) and statistics of the
 * probed layers on a fixed probe batch (6.2: dead ReLUs, BatchNorm outputs far from N(0, 1), blocks
 * collapsed to a constant); per epoch, histograms; and the flags they raise. The engines measure
 * (engines.ts); this file turns their figures into the plain JSON of `TrainDiagnostics`.
 */
import type { LayersModel, Tensor, Tensor4D } from '@tensorflow/tfjs-node';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers/dist/engine/topology.js';
import type {
  ActivationProbe,
  DiagnosticCheck,
  DiagnosticFlag,
  DiagnosticHistogram,
  LayerNorms,
  TrainDiagnostics,
} from '../../core/diagnostics.js';
import type { DiagnosticEpoch } from '../../core/trial-diagnostics.js';
import { loadTf } from '../../backend/tf.js';
import { FlagWatcher } from './diagnostic-flags.js';
import { HISTOGRAM_BINS, type ResolvedDiagnostics } from './diagnostics-config.js';
import { histogram } from './histogram.js';
import type { ProbePoint } from './probes.js';

/**
 * The figures of one probe, in this order: mean, std, zero fraction, dead-channel fraction, the mean
 * over channels of |channel mean|, the mean over channels of the channel std.
 */
export const PROBE_FIGURES = 6;

/** What an engine is asked to measure at a check. */
export type CheckRequest = {
  /** Each weight's ‖g‖² and ‖w‖². */
  readonly norms: boolean;
  /** Each weight's gradient values (for the epoch's histograms). */
  readonly gradientValues: boolean;
  /** Each probe's output values on the probe batch (for the epoch's histograms). */
  readonly activationValues: boolean;
  /** The probe batch, when activations are probed. */
  readonly probe?: Tensor4D;
};

/** What an engine measured at a check; per weight in the engine's `params` order, per probe in `probes` order. */
export type CheckFigures = {
  readonly squaredGrads?: ArrayLike<number>;
  readonly squaredWeights?: ArrayLike<number>;
  readonly gradientValues?: readonly ArrayLike<number>[];
  /** PROBE_FIGURES per probe. */
  readonly activations?: ArrayLike<number>;
  readonly activationValues?: readonly ArrayLike<number>[];
};

/** The probes' figures (PROBE_FIGURES each) and, when asked, their output values. */
export type ProbeReadings = { readonly figures: Float32Array; readonly values?: Float32Array[] };

/**
 * The PROBE_FIGURES of every probe's output on the batch `x`, in inference mode, and with `values`
 * the outputs themselves. Uses `model.execute` on the layers' outputs, so no second model is built
 * (disposing one would dispose the shared layers' weights).
 */
export function activationFigures(
  model: LayersModel,
  probes: readonly ProbePoint[],
  x: Tensor4D,
  values: boolean,
): ProbeReadings {
  const tf = loadTf();
  if (probes.length === 0) return { figures: new Float32Array(0), ...(values ? { values: [] } : {}) };
  // The tidy returns tensors only: it walks what it returns, and a typed array of millions of values
  // overflows the Set it walks them into.
  const [figures, ...outputs] = tf.tidy(() => {
    const executed = model.execute(
      x,
      probes.map((p) => (model.getLayer(p.layer).output as SymbolicTensor).name),
    );
    const list = Array.isArray(executed) ? executed : [executed];
    const stacked = tf.concat(
      list.map((out, i) =>
        probeFigures(
          out,
          (probes[i] as ProbePoint).kind === 'bn' ? affineOf(model, (probes[i] as ProbePoint).layer) : undefined,
        ),
      ),
    );
    return [stacked, ...(values ? list : [])];
  });
  try {
    return {
      figures: (figures as Tensor).dataSync() as Float32Array,
      ...(values ? { values: outputs.map((out) => out.dataSync() as Float32Array) } : {}),
    };
  } finally {
    tf.dispose([figures as Tensor, ...outputs]);
  }
}

/** A BatchNorm layer's γ and β, when it has them. */
function affineOf(model: LayersModel, layer: string): { gamma: Tensor; beta: Tensor } | undefined {
  const weights = model.getLayer(layer).trainableWeights;
  const gamma = weights.find((w) => w.originalName.endsWith('/gamma'));
  const beta = weights.find((w) => w.originalName.endsWith('/beta'));
  return gamma === undefined || beta === undefined ? undefined : { gamma: gamma.read(), beta: beta.read() };
}

/**
 * One output's figures; the compiled engine computes the same in its graph (src/eval/compile/diagnose.ts).
 * After a BatchNorm, the two channel figures are of its normalised value (y − β) / γ, which is
 * N(0, 1) per channel when the moving statistics fit the data, whatever γ and β have learnt.
 */
function probeFigures(out: Tensor, affine?: { gamma: Tensor; beta: Tensor }): Tensor {
  const tf = loadTf();
  const flat = tf.reshape(out, [-1, out.shape[out.rank - 1] ?? 1]);
  const channelMean = tf.mean(flat, 0);
  const mean = tf.mean(channelMean);
  const std = tf.sqrt(tf.mean(tf.square(tf.sub(flat, mean))));
  const zero = tf.cast(tf.equal(flat, 0), 'float32');
  const dead = tf.sub(1, tf.mean(tf.max(tf.sub(1, zero), 0)));
  const normal = affine === undefined ? flat : tf.div(tf.sub(flat, affine.beta), affine.gamma);
  const normalMean = affine === undefined ? channelMean : tf.mean(normal, 0);
  const channelStd = tf.mean(tf.sqrt(tf.mean(tf.square(tf.sub(normal, normalMean)), 0)));
  return tf.stack([mean, std, tf.mean(zero), dead, tf.mean(tf.abs(normalMean)), channelStd]);
}

/** A figure to 6 significant digits (float32 carries about 7): a run stores every check. */
export function roundFigure(x: number): number {
  return Number.isFinite(x) && x !== 0 ? Number(x.toPrecision(6)) : x;
}

/** The layer of a weight named `<layer>/<weight>`. */
export function layerOf(weight: string): string {
  const slash = weight.lastIndexOf('/');
  return slash < 0 ? weight : weight.slice(0, slash);
}

/** Collects a run's checks, histograms and flags from the engine's figures. */
export class DiagnosticsRecorder {
  private readonly checks: DiagnosticCheck[] = [];
  private readonly histograms: DiagnosticHistogram[] = [];
  private readonly watcher: FlagWatcher;
  /** The layers in order of their first weight, and each weight's index among them. */
  private readonly layers: string[] = [];
  private readonly layerIndex: number[];
  /** How many checks, histograms and flags earlier epochs' records took. */
  private taken = { checks: 0, histograms: 0, flags: 0 };

  constructor(
    private readonly cfg: ResolvedDiagnostics,
    params: readonly string[],
    private readonly probes: readonly ProbePoint[],
  ) {
    this.watcher = new FlagWatcher(cfg.thresholds);
    this.layerIndex = params.map((p) => {
      const layer = layerOf(p);
      if (!this.layers.includes(layer)) this.layers.push(layer);
      return this.layers.indexOf(layer);
    });
  }

  /** Whether the 1-based `step` is checked: every `every` steps and the last step of each epoch. */
  isCheck(step: number, lastOfEpoch: boolean): boolean {
    return step % this.cfg.every === 0 || lastOfEpoch;
  }

  /** What the engine measures at a check. */
  request(probe: Tensor4D | undefined, lastOfEpoch: boolean): CheckRequest {
    return {
      norms: this.cfg.gradients,
      gradientValues: this.cfg.histograms && lastOfEpoch,
      activationValues: this.cfg.histograms && lastOfEpoch && this.cfg.activations && probe !== undefined,
      ...(this.cfg.activations && probe !== undefined ? { probe } : {}),
    };
  }

  /** Records a check's figures; returns the flags it raised. */
  record(step: number, epoch: number, figures: CheckFigures): DiagnosticFlag[] {
    if (!this.cfg.gradients && !this.cfg.activations) return [];
    const check: DiagnosticCheck = {
      step,
      epoch,
      ...(this.cfg.gradients ? this.norms(figures) : {}),
      ...(figures.activations === undefined ? {} : { activations: this.activations(figures.activations) }),
    };
    this.checks.push(check);
    return this.watcher.observe(check);
  }

  /**
   * Adds epoch `epoch`'s histograms: the weights at its end, the gradients of its last step (per
   * weight, in `params` order), and the probes' outputs at its last check (per probe, in `probes`
   * order; none when activations are not probed).
   */
  addHistograms(
    epoch: number,
    weights: readonly ArrayLike<number>[],
    gradients: readonly ArrayLike<number>[],
    activations: readonly ArrayLike<number>[],
  ): void {
    for (const [kind, values] of [
      ['weight', weights],
      ['gradient', gradients],
    ] as const) {
      this.layers.forEach((layer, l) =>
        this.addHistogram(
          epoch,
          layer,
          kind,
          values.filter((_, i) => this.layerIndex[i] === l),
        ),
      );
    }
    activations.forEach((values, i) =>
      this.addHistogram(epoch, (this.probes[i] as ProbePoint).layer, 'activation', [values]),
    );
  }

  private addHistogram(
    epoch: number,
    layer: string,
    kind: DiagnosticHistogram['kind'],
    values: readonly ArrayLike<number>[],
  ): void {
    const { min, max, counts } = histogram(values, HISTOGRAM_BINS);
    this.histograms.push({ epoch, layer, kind, min: roundFigure(min), max: roundFigure(max), counts });
  }

  /**
   * What was measured since the previous epoch's record: epoch `epoch`'s checks, its histograms and
   * the flags they raised (undefined when nothing was). Called as an epoch ends, or as a stop cuts it short.
   */
  takeEpoch(epoch: number): DiagnosticEpoch | undefined {
    const { flags } = this.watcher;
    const record = {
      epoch,
      checks: this.checks.slice(this.taken.checks),
      histograms: this.histograms.slice(this.taken.histograms),
      flags: flags.slice(this.taken.flags),
    };
    this.taken = { checks: this.checks.length, histograms: this.histograms.length, flags: flags.length };
    return record.checks.length + record.histograms.length + record.flags.length === 0 ? undefined : record;
  }

  result(): TrainDiagnostics {
    return {
      every: this.cfg.every,
      checks: this.checks,
      ...(this.cfg.histograms ? { histograms: this.histograms } : {}),
      flags: this.watcher.flags,
    };
  }

  private norms(figures: CheckFigures): { globalGradNorm?: number; layers?: LayerNorms[] } {
    const { squaredGrads, squaredWeights } = figures;
    if (squaredGrads === undefined || squaredWeights === undefined) return {};
    const grads = new Float64Array(this.layers.length);
    const weights = new Float64Array(this.layers.length);
    let total = 0;
    this.layerIndex.forEach((l, i) => {
      grads[l] = (grads[l] as number) + (squaredGrads[i] as number);
      weights[l] = (weights[l] as number) + (squaredWeights[i] as number);
      total += squaredGrads[i] as number;
    });
    const layers = this.layers.map((layer, l) => ({
      layer,
      gradNorm: roundFigure(Math.sqrt(grads[l] as number)),
      weightNorm: roundFigure(Math.sqrt(weights[l] as number)),
    }));
    return { globalGradNorm: roundFigure(Math.sqrt(total)), layers };
  }

  private activations(values: ArrayLike<number>): ActivationProbe[] {
    return this.probes.map(({ layer, kind }, i) => {
      const at = (k: number) => roundFigure(values[PROBE_FIGURES * i + k] as number);
      const common = { layer, kind, mean: at(0), std: at(1) };
      return kind === 'relu'
        ? { ...common, zeroFraction: at(2), deadFraction: at(3) }
        : { ...common, channelMeanAbs: at(4), channelStd: at(5) };
    });
  }
}
