import type { Tensor, Tensor4D } from '@tensorflow/tfjs-node';
import { loadTf } from '../../../backend/tf.js';
import { maxSharingTies } from '../ops.js';
import { layerBase } from './base.js';

/** The small layers tfjs lacks (it has no Lambda layer): channel pooling, global max pooling, zero, broadcasting product. */
export function defineSmallLayers() {
  const tf = loadTf();
  const Base = layerBase();
  const one = (inputs: Tensor | Tensor[]): Tensor => (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor;

  /** Mean or max across channels: [H, W, C] → [H, W, 1]. */
  class NasChannelPool extends Base {
    static readonly className = 'NasChannelPool';
    readonly fn: 'mean' | 'max';
    constructor(args: { name?: string; fn: 'mean' | 'max' }) {
      super(args.name === undefined ? {} : { name: args.name });
      this.fn = args.fn;
    }
    override computeOutputShape(s: (number | null)[]): (number | null)[] {
      return [s[0] ?? null, s[1] ?? null, s[2] ?? null, 1];
    }
    override call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() =>
        this.fn === 'mean' ? tf.mean(one(inputs), -1, true) : maxSharingTies(one(inputs), [3], true),
      );
    }
    override getConfig() {
      return { ...super.getConfig(), fn: this.fn };
    }
  }

  /** Global max pooling [H, W, C] → [C], with tied maxima sharing the gradient. */
  class NasGlobalMaxPool extends Base {
    static readonly className = 'NasGlobalMaxPool';
    override computeOutputShape(s: (number | null)[]): (number | null)[] {
      return [s[0] ?? null, s[3] ?? null];
    }
    override call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => maxSharingTies(one(inputs), [1, 2], false));
    }
  }

  /** Zeros of the input's shape subsampled by a stride (DARTS "none"). */
  class NasZero extends Base {
    static readonly className = 'NasZero';
    readonly stride: readonly [number, number];
    constructor(args: { name?: string; stride: readonly [number, number] }) {
      super(args.name === undefined ? {} : { name: args.name });
      this.stride = args.stride;
    }
    override computeOutputShape(s: (number | null)[]): (number | null)[] {
      return [
        s[0] ?? null,
        Math.ceil((s[1] as number) / this.stride[0]),
        Math.ceil((s[2] as number) / this.stride[1]),
        s[3] ?? null,
      ];
    }
    override call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => {
        const x = one(inputs) as Tensor4D;
        const [sh, sw] = this.stride;
        // A 1×1 average pool subsamples like a strided slice, and has a gradient (tf.stridedSlice has none).
        return tf.zerosLike(sh === 1 && sw === 1 ? x : tf.avgPool(x, 1, [sh, sw], 'valid'));
      });
    }
    override getConfig() {
      return { ...super.getConfig(), stride: [...this.stride] };
    }
  }

  /** a · b where b broadcasts: [C] (SE, channel attention) or [H, W, 1] (spatial attention) against [H, W, C]. */
  class NasScale extends Base {
    static readonly className = 'NasScale';
    override computeOutputShape(s: (number | null)[] | (number | null)[][]): (number | null)[] {
      return (s as (number | null)[][])[0] as (number | null)[];
    }
    override call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => {
        const [a, b] = inputs as [Tensor, Tensor];
        return tf.mul(a, b.rank === 2 ? tf.reshape(b, [-1, 1, 1, b.shape[1] as number]) : b);
      });
    }
  }

  return { NasChannelPool, NasGlobalMaxPool, NasZero, NasScale };
}
