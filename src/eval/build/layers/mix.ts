import type { Tensor, Variable } from '@tensorflow/tfjs-node';
import { loadTf } from '../../../backend/tf.js';
import { layerBase } from './base.js';

/**
 * The DARTS mixed op (Liu et al. 2019, eq. 2): ō(x) = Σᵢ softmax(α_e)ᵢ · oᵢ(x), the inputs being the
 * candidate ops' outputs. α is a [edges, ops] variable of the supernet's trainer, read on every
 * call so gradients reach it; it is not a weight of the layer (the model's trainable weights stay
 * the network's w). Not serializable: a supernet is checkpointed, never saved as a model.
 */
export function defineMixLayer() {
  const tf = loadTf();
  const Base = layerBase();

  class NasMix extends Base {
    static readonly className = 'NasMix';
    readonly alpha: Variable;
    readonly edge: number;

    constructor(args: { name?: string; alpha: Variable; edge: number }) {
      super(args.name === undefined ? {} : { name: args.name });
      this.alpha = args.alpha;
      this.edge = args.edge;
    }

    override computeOutputShape(s: (number | null)[] | (number | null)[][]): (number | null)[] {
      return (Array.isArray(s[0]) ? s[0] : s) as (number | null)[];
    }

    override call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => {
        const list = Array.isArray(inputs) ? inputs : [inputs];
        const weights = tf.unstack(tf.softmax(tf.gather(this.alpha, this.edge)));
        return tf.addN(list.map((x, i) => tf.mul(x, weights[i] as Tensor)));
      });
    }
  }
  return NasMix;
}
