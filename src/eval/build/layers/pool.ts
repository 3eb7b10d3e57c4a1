import type { Tensor, Tensor4D } from '@tensorflow/tfjs-node';
import { loadTf } from '../../../backend/tf.js';
import type { WindowAttrs } from '../../../space/ops/window.js';
import { explicitPadding, hasPadding } from '../geometry.js';
import { padSpatial } from '../ops.js';
import { layerBase } from './base.js';

/**
 * Max or average pooling with any padding. 'same' is TensorFlow's (average over the real elements);
 * explicit padding pads max pooling with −∞ and average pooling with zeros, dividing by the whole
 * window (`includePad`, PyTorch's default) or by the real elements.
 */
export type PoolConfig = { readonly fn: 'max' | 'avg'; readonly window: WindowAttrs; readonly includePad: boolean };

export function definePoolLayer() {
  const tf = loadTf();
  return class NasPool extends layerBase() {
    static readonly className = 'NasPool';
    readonly cfg: PoolConfig;

    constructor(args: { name?: string; cfg: PoolConfig }) {
      super(args.name === undefined ? {} : { name: args.name });
      this.cfg = args.cfg;
    }

    override computeOutputShape(inputShape: (number | null)[]): (number | null)[] {
      const [n, h, w, c] = inputShape as [number | null, number, number, number];
      const sides = explicitPadding(h, w, this.cfg.window);
      const [kh, kw] = this.cfg.window.kernel;
      const [sh, sw] = this.cfg.window.stride;
      return [
        n,
        Math.floor((h + sides[0][0] + sides[0][1] - kh) / sh) + 1,
        Math.floor((w + sides[1][0] + sides[1][1] - kw) / sw) + 1,
        c,
      ];
    }

    override call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => {
        const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor4D;
        const { fn, window, includePad } = this.cfg;
        const kernel = window.kernel as [number, number];
        const stride = window.stride as [number, number];
        if (window.pad === 'same')
          return fn === 'max' ? tf.maxPool(x, kernel, stride, 'same') : tf.avgPool(x, kernel, stride, 'same');
        const [, h, w] = x.shape;
        const sides = explicitPadding(h, w, window);
        if (fn === 'max') return tf.maxPool(padSpatial(x, sides, Number.NEGATIVE_INFINITY), kernel, stride, 'valid');
        const mean = tf.avgPool(padSpatial(x, sides), kernel, stride, 'valid');
        if (includePad || !hasPadding(sides)) return mean;
        const real = tf.avgPool(padSpatial(tf.ones([1, h, w, 1]) as Tensor4D, sides), kernel, stride, 'valid');
        return tf.div(mean, real);
      });
    }

    override getConfig() {
      // Cast: tfjs's ConfigDict takes only mutable, index-signed values; our config is a readonly interface of plain data.
      return { ...super.getConfig(), cfg: this.cfg as unknown as Record<string, never> };
    }
  };
}
