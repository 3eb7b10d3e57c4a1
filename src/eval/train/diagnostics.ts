/**
 * Training diagnostics of the design's part 6, cheap and optional, as plain JSON: gradient norms
 * (6.1: vanishing / exploding gradients) and activation statistics (6.2: dead ReLUs, whether outputs
 * after BatchNorm look like N(0, 1)).
 */
import type { LayersModel, Tensor, Tensor4D } from '@tensorflow/tfjs-node';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers/dist/engine/topology.js';
import { loadTf } from '../../backend/tf.js';

/** Global gradient norm √(Σ‖g‖²) over one epoch's steps: its mean and maximum. */
export type GradientEpoch = { readonly epoch: number; readonly meanNorm: number; readonly maxNorm: number };

/** Statistics of one layer's output on one batch in inference mode. */
export type ActivationStat = {
  readonly layer: string;
  /** The activation function ('relu', 'leaky_relu', …) or 'bn'. */
  readonly kind: string;
  readonly mean: number;
  readonly std: number;
  /** Fraction of output values exactly 0 (the design's sparsity). */
  readonly zeroFraction: number;
  /** Fraction of channels (last axis) that are 0 for every example and position: dead units. */
  readonly deadFraction: number;
};

/** What a run's diagnostics report; each part only when asked for. */
export type TrainDiagnostics = {
  readonly gradients?: {
    readonly epochs: readonly GradientEpoch[];
    /** Mean over the last epoch's steps of each weight's gradient norm, by weight name. */
    readonly lastEpochByWeight: Readonly<Record<string, number>>;
  };
  readonly activations?: readonly ActivationStat[];
};

/** Accumulates the squared gradient norms the training steps read, per epoch. */
export class GradientTracker {
  readonly epochs: GradientEpoch[] = [];
  /** Each weight's mean gradient norm over the last closed epoch. */
  lastByWeight: Readonly<Record<string, number>> = {};
  private sums: Float64Array;
  private normSum = 0;
  private normMax = 0;
  private steps = 0;

  constructor(private readonly names: readonly string[]) {
    this.sums = new Float64Array(names.length);
  }

  /** Adds one step's squared norms (one per weight, in the order of `names`). */
  add(squaredNorms: Float32Array): void {
    let total = 0;
    squaredNorms.forEach((s, i) => {
      total += s;
      this.sums[i] = (this.sums[i] as number) + Math.sqrt(s);
    });
    const norm = Math.sqrt(total);
    this.normSum += norm;
    this.normMax = Math.max(this.normMax, norm);
    this.steps += 1;
  }

  /** Closes epoch `epoch` (1-based); per-weight means restart. */
  endEpoch(epoch: number): void {
    if (this.steps === 0) return;
    this.epochs.push({ epoch, meanNorm: this.normSum / this.steps, maxNorm: this.normMax });
    this.lastByWeight = Object.fromEntries(this.names.map((n, i) => [n, (this.sums[i] as number) / this.steps]));
    this.sums = new Float64Array(this.names.length);
    this.normSum = 0;
    this.normMax = 0;
    this.steps = 0;
  }
}

const ACTIVATION_CLASSES: Readonly<Record<string, string>> = { ReLU: 'relu', LeakyReLU: 'leaky_relu', ELU: 'elu', Softmax: 'softmax', PReLU: 'prelu' };

/** The layers whose outputs {@link activationStats} measures: activations and BatchNorm, with their kind. */
function probedLayers(model: LayersModel): { name: string; kind: string; output: string }[] {
  const found: { name: string; kind: string; output: string }[] = [];
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    const kind = cls === 'BatchNormalization' || cls === 'FusedBatchNorm' ? 'bn' : cls === 'Activation' ? String(layer.getConfig().activation) : ACTIVATION_CLASSES[cls];
    if (kind === undefined || layer.inboundNodes.length !== 1) continue;
    found.push({ name: layer.name, kind, output: (layer.output as SymbolicTensor).name });
  }
  return found;
}

/**
 * Mean, standard deviation, zero fraction and dead-channel fraction of every activation and BatchNorm
 * layer's output on the batch `x`, in inference mode. Uses `model.execute` on the layers' outputs, so
 * no second model is built (disposing one would dispose the shared layers' weights).
 */
export function activationStats(model: LayersModel, x: Tensor4D): ActivationStat[] {
  const tf = loadTf();
  const layers = probedLayers(model);
  if (layers.length === 0) return [];
  const values = tf.tidy(() => {
    const outputs = model.execute(x, layers.map((l) => l.output));
    const rows = (Array.isArray(outputs) ? outputs : [outputs]).map((out: Tensor) => {
      const { mean, variance } = tf.moments(out);
      const zero = tf.cast(tf.equal(out, 0), 'float32');
      const alive = tf.max(tf.reshape(tf.sub(1, zero), [-1, out.shape[out.rank - 1] ?? 1]), 0);
      return tf.stack([mean, tf.sqrt(variance), tf.mean(zero), tf.sub(1, tf.mean(alive))]);
    });
    return tf.stack(rows).dataSync();
  });
  return layers.map((l, i) => ({
    layer: l.name,
    kind: l.kind,
    mean: values[4 * i] as number,
    std: values[4 * i + 1] as number,
    zeroFraction: values[4 * i + 2] as number,
    deadFraction: values[4 * i + 3] as number,
  }));
}
