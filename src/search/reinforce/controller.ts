// The controller RNN of NAS with reinforcement learning (Zoph & Le 2017, "Neural Architecture Search
// with Reinforcement Learning", Sec. 3.1; ENAS, Pham et al. 2018, Sec. 2.1-2.2): an LSTM that emits
// one decision per step, fed the embedding of the previous choice; per decision a softmax over its
// choices, with a temperature and tanh logit clipping (ENAS: `logits = C · tanh(logits / T)`).
import type { Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs-node';
import { loadTf } from '../../backend/tf.js';
import type { Rng } from '../../core/rng.js';

/** The controller's shape: choices per decision, LSTM width, sampling temperature and tanh constant (0: no clipping). */
export interface ControllerShape {
  readonly choices: readonly number[];
  readonly hidden: number;
  readonly temperature: number;
  readonly tanhConstant: number;
}

/**
 * The controller's parameters in a fixed order: go input, LSTM kernel, LSTM bias, the D heads'
 * weights, the D heads' biases, the embeddings of decisions 0..D−2 (the last choice feeds nothing).
 */
export function parameterShapes(s: ControllerShape): number[][] {
  const h = s.hidden;
  return [
    [1, h],
    [2 * h, 4 * h],
    [4 * h],
    ...s.choices.map((k) => [h, k]),
    ...s.choices.map((k) => [k]),
    ...s.choices.slice(0, -1).map((k) => [k, h]),
  ];
}

/** The LSTM policy over a sequence of categorical decisions; weights are plain tensors (no tf.Variable names to collide). */
export class Controller {
  private readonly tf = loadTf();
  params: Tensor[];

  constructor(
    readonly shape: ControllerShape,
    values: readonly Float32Array[],
  ) {
    const shapes = parameterShapes(shape);
    this.params = shapes.map((sh, i) => this.tf.tensor(values[i] as Float32Array, sh));
  }

  /** Fresh weights, uniform in [−0.1, 0.1) (ENAS's initialisation), drawn from `rng`. */
  static initialValues(shape: ControllerShape, rng: Rng): Float32Array[] {
    return parameterShapes(shape).map((sh) =>
      Float32Array.from({ length: sh.reduce((a, b) => a * b, 1) }, () => rng.next() * 0.2 - 0.1),
    );
  }

  /**
   * Draws `n` decision sequences in one pass, step by step: at each step every sequence's choice is
   * drawn by `rng` (sequence order) from its softmax, and fed back as the next step's input.
   */
  sample(rng: Rng, n = 1): number[][] {
    const tf = this.tf;
    let c = tf.zeros([n, this.shape.hidden]) as Tensor2D;
    let h = tf.zeros([n, this.shape.hidden]) as Tensor2D;
    const actions: number[][] = Array.from({ length: n }, () => []);
    try {
      this.shape.choices.forEach((k, t) => {
        const [c2, h2, p] = tf.tidy(() => {
          const x =
            t === 0
              ? tf.tile(this.params[0] as Tensor2D, [n, 1])
              : tf.gather(
                  this.embedding(t - 1),
                  actions.map((a) => a[t - 1] as number),
                );
          const [nc, nh] = tf.basicLSTMCell(
            1,
            this.params[1] as Tensor2D,
            this.params[2] as Tensor1D,
            x as Tensor2D,
            c,
            h,
          );
          return [nc, nh, tf.softmax(this.logits(t, nh))];
        });
        tf.dispose([c, h]);
        [c, h] = [c2 as Tensor2D, h2 as Tensor2D];
        const probs = p.dataSync();
        p.dispose();
        actions.forEach((a, i) => a.push(categorical(probs.subarray(i * k, (i + 1) * k), rng)));
      });
    } finally {
      tf.dispose([c, h]);
    }
    return actions;
  }

  /**
   * For a batch of decision sequences (teacher forcing): per sequence the summed log-probability
   * of its choices and the summed entropy of the step distributions ([M] each). Differentiable in `params`.
   */
  logProbAndEntropy(
    params: readonly Tensor[],
    actions: readonly (readonly number[])[],
  ): { logp: Tensor1D; entropy: Tensor1D } {
    const tf = this.tf;
    const m = actions.length;
    let c = tf.zeros([m, this.shape.hidden]) as Tensor2D;
    let h = c;
    let logp = tf.zeros([m]) as Tensor1D;
    let entropy = tf.zeros([m]) as Tensor1D;
    this.shape.choices.forEach((k, t) => {
      const x =
        t === 0
          ? tf.tile(params[0] as Tensor2D, [m, 1])
          : tf.gather(
              params[3 + 2 * this.shape.choices.length + t - 1] as Tensor2D,
              actions.map((a) => a[t - 1] as number),
            );
      [c, h] = tf.basicLSTMCell(1, params[1] as Tensor2D, params[2] as Tensor1D, x as Tensor2D, c, h);
      const logSoftmax = tf.logSoftmax(this.logits(t, h, params));
      // a single-choice decision has log-probability 0 (tf.oneHot needs depth ≥ 2); it stays in the graph
      const chosen =
        k === 1
          ? tf.onesLike(logSoftmax)
          : tf.oneHot(
              actions.map((a) => a[t] as number),
              k,
            );
      logp = logp.add(tf.sum(tf.mul(chosen, logSoftmax), 1));
      entropy = entropy.sub(tf.sum(tf.mul(tf.exp(logSoftmax), logSoftmax), 1));
    });
    return { logp, entropy };
  }

  /** The weights as float arrays (a copy). */
  values(): Float32Array[] {
    return this.params.map((p) => p.dataSync() as Float32Array).map((a) => Float32Array.from(a));
  }

  dispose(): void {
    this.tf.dispose(this.params);
  }

  private embedding(t: number): Tensor2D {
    return this.params[3 + 2 * this.shape.choices.length + t] as Tensor2D;
  }

  private logits(t: number, h: Tensor2D, params: readonly Tensor[] = this.params): Tensor2D {
    const tf = this.tf;
    const d = this.shape.choices.length;
    const z = tf
      .add(tf.matMul(h, params[3 + t] as Tensor2D), params[3 + d + t] as Tensor1D)
      .div(this.shape.temperature) as Tensor2D;
    return this.shape.tanhConstant > 0 ? (tf.tanh(z).mul(this.shape.tanhConstant) as Tensor2D) : z;
  }
}

/** An index drawn with the given probabilities (which sum to about 1). */
function categorical(probs: ArrayLike<number>, rng: Rng): number {
  let u = rng.next();
  for (let i = 0; i < probs.length; i++) {
    u -= probs[i] as number;
    if (u < 0) return i;
  }
  return probs.length - 1;
}
