/**
 * BatchNorm on TensorFlow's fused kernels (Ioffe & Szegedy 2015; design part 3.1): in training,
 * `FusedBatchNormV3` computes the batch statistics and the normalised output in one op, and
 * `FusedBatchNormGradV3` its gradients, reached through tfjs-node's backend object; ENVIRONMENT.md
 * measured the pair 2.9× faster than tfjs's composed moments + batchNorm. In inference it is tfjs's
 * batchNorm with the moving statistics. Weights, their names and the moving-average rule
 * (moving = m·moving + (1 − m)·batch, biased batch variance) are those of tfjs's BatchNormalization,
 * so it replaces it: the builder makes every `bn` node with it.
 */
import type { Tensor, Tensor1D, Tensor4D } from '@tensorflow/tfjs-node';
import type { LayerVariable } from '@tensorflow/tfjs-layers/dist/variables.js';
import { loadTf } from '../../../backend/tf.js';

type Attr = { name: string; type: number; value: boolean | number | string };
type NativeBackend = {
  binding: Record<'TF_ATTR_TYPE' | 'TF_ATTR_FLOAT' | 'TF_ATTR_STRING' | 'TF_ATTR_BOOL' | 'TF_FLOAT', number>;
  executeMultipleOutputs(name: string, attrs: Attr[], inputs: Tensor[], outputs: number): Tensor[];
};

function attrs(b: NativeBackend['binding'], epsilon: number, forward: boolean): Attr[] {
  const list: Attr[] = [
    { name: 'T', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT },
    { name: 'U', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT },
    { name: 'epsilon', type: b.TF_ATTR_FLOAT, value: epsilon },
    { name: 'data_format', type: b.TF_ATTR_STRING, value: 'NHWC' },
    { name: 'is_training', type: b.TF_ATTR_BOOL, value: true },
  ];
  return forward ? [...list, { name: 'exponential_avg_factor', type: b.TF_ATTR_FLOAT, value: 1 }] : list;
}

/**
 * Training-mode batch normalisation of NHWC `x` by the fused kernels, with its gradient: the output,
 * and the batch mean and biased variance (for the moving averages; not differentiated).
 */
export function fusedBatchNormTraining(
  x: Tensor4D,
  gamma: Tensor1D,
  beta: Tensor1D,
  epsilon: number,
): { y: Tensor4D; mean: Tensor1D; variance: Tensor1D } {
  const tf = loadTf();
  // Cast: tfjs-node's backend type does not declare the native op call (executeMultipleOutputs) used here.
  const backend = tf.backend() as unknown as NativeBackend;
  let stats: Tensor[] = [];
  const op = tf.customGrad((...args: unknown[]) => {
    const [input, scale, offset, save] = args as [Tensor4D, Tensor1D, Tensor1D, (t: Tensor[]) => void];
    const empty = tf.tensor1d([]);
    const [y, mean, variance, r1, r2, r3] = backend.executeMultipleOutputs(
      'FusedBatchNormV3',
      attrs(backend.binding, epsilon, true),
      [input, scale, offset, empty, empty],
      6,
    ) as [Tensor4D, Tensor, Tensor, Tensor, Tensor, Tensor];
    empty.dispose();
    // customGrad runs this in a tidy: keep the statistics past it (released below).
    stats = [tf.keep(mean), tf.keep(variance)];
    save([input, scale, r1, r2, r3]);
    return {
      value: y,
      gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
        const outs = backend.executeMultipleOutputs(
          'FusedBatchNormGradV3',
          attrs(backend.binding, epsilon, false),
          [dy as Tensor, ...saved],
          5,
        );
        tf.dispose(outs.slice(3));
        return outs.slice(0, 3);
      },
    };
  });
  const y = op(x, gamma, beta) as Tensor4D;
  const [kept, unbiased] = stats as [Tensor1D, Tensor1D];
  // The kernel's variance output is Bessel-corrected (n / (n − 1)); tfjs and the design use the biased one.
  const n = x.shape[0] * x.shape[1] * x.shape[2];
  const variance = tf.mul(unbiased, n > 1 ? (n - 1) / n : 1) as Tensor1D;
  const mean = tf.clone(kept);
  tf.dispose([kept, unbiased]);
  return { y, mean, variance };
}

/** The FusedBatchNorm layer class (over the last axis), defined once the native backend is loaded. */
export function defineFusedBatchNorm() {
  const tf = loadTf();

  /** BatchNorm over the last axis on the fused TensorFlow kernels; inputs of rank 2 or 4. */
  class FusedBatchNorm extends tf.layers.Layer {
    static readonly className = 'FusedBatchNorm';
    readonly momentum: number;
    readonly epsilon: number;
    /** False: no γ and β (a scale of 1 and shift of 0), as in a DARTS supernet's ops. */
    readonly affine: boolean;
    private gamma: LayerVariable | undefined;
    private beta: LayerVariable | undefined;
    private movingMean!: LayerVariable;
    private movingVariance!: LayerVariable;

    constructor(args: { name?: string; momentum?: number; epsilon?: number; affine?: boolean } = {}) {
      super(args.name === undefined ? {} : { name: args.name });
      this.momentum = args.momentum ?? 0.99;
      this.epsilon = args.epsilon ?? 1e-3;
      this.affine = args.affine ?? true;
    }

    override build(inputShape: (number | null)[] | (number | null)[][]): void {
      const c = (inputShape as (number | null)[]).at(-1) as number;
      if (this.affine) {
        this.gamma = this.addWeight('gamma', [c], 'float32', tf.initializers.ones());
        this.beta = this.addWeight('beta', [c], 'float32', tf.initializers.zeros());
      }
      this.movingMean = this.addWeight('moving_mean', [c], 'float32', tf.initializers.zeros(), undefined, false);
      this.movingVariance = this.addWeight('moving_variance', [c], 'float32', tf.initializers.ones(), undefined, false);
      this.built = true;
    }

    override call(inputs: Tensor | Tensor[], kwargs: { training?: boolean }): Tensor {
      return tf.tidy(() => {
        const x = Array.isArray(inputs) ? (inputs[0] as Tensor) : inputs;
        const c = x.shape[x.rank - 1] as number;
        const gamma = (this.gamma?.read() ?? tf.ones([c])) as Tensor1D;
        const beta = (this.beta?.read() ?? tf.zeros([c])) as Tensor1D;
        if (kwargs.training !== true)
          return tf.batchNorm(x, this.movingMean.read(), this.movingVariance.read(), beta, gamma, this.epsilon);
        const x4 = (x.rank === 4 ? x : tf.reshape(x, [-1, 1, 1, x.shape[x.rank - 1] as number])) as Tensor4D;
        const { y, mean, variance } = fusedBatchNormTraining(x4, gamma, beta, this.epsilon);
        const decay = (v: LayerVariable, batch: Tensor) =>
          v.write(tf.sub(v.read(), tf.mul(tf.sub(v.read(), batch), 1 - this.momentum)));
        decay(this.movingMean, mean);
        decay(this.movingVariance, variance);
        return x.rank === 4 ? y : tf.reshape(y, x.shape);
      });
    }

    override getConfig() {
      return { ...super.getConfig(), momentum: this.momentum, epsilon: this.epsilon, affine: this.affine };
    }
  }
  return FusedBatchNorm;
}
