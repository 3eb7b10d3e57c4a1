import type { Tensor } from '@tensorflow/tfjs-node';
import { loadTf } from '../../../backend/tf.js';
import { layerBase } from './base.js';

/**
 * Drop-path (stochastic depth, Huang et al. 2016; timm's DropPath): in training, each example is
 * zeroed with probability `rate` and the kept ones scaled by 1 / (1 − rate), one draw per example
 * (tfjs's dropout with the noise shape [N, 1, …, 1]); at inference the identity. Like tfjs's
 * Dropout, it draws from `seed`, which the trainer sets before every step (src/eval/train/plan.ts).
 */
export function defineDropPathLayer() {
  const tf = loadTf();
  const Base = layerBase();

  class NasDropPath extends Base {
    static readonly className = 'NasDropPath';
    readonly rate: number;
    seed: number | undefined;

    constructor(args: { name?: string; rate: number; seed?: number }) {
      super(args.name === undefined ? {} : { name: args.name });
      this.rate = args.rate;
      this.seed = args.seed;
    }

    override computeOutputShape(s: (number | null)[]): (number | null)[] {
      return s;
    }

    override call(inputs: Tensor | Tensor[], kwargs: { training?: boolean }): Tensor {
      const x = Array.isArray(inputs) ? (inputs[0] as Tensor) : inputs;
      if (kwargs.training !== true || this.rate === 0) return x;
      return tf.tidy(() =>
        tf.dropout(x, this.rate, [x.shape[0] as number, ...x.shape.slice(1).map(() => 1)], this.seed),
      );
    }

    override getConfig() {
      return { ...super.getConfig(), rate: this.rate };
    }
  }
  return NasDropPath;
}
