import type { Tensor, Tensor4D } from '@tensorflow/tfjs-node';
import type { LayerVariable } from '@tensorflow/tfjs-layers/dist/variables.js';
import { loadTf } from '../../../backend/tf.js';
import type { WindowAttrs } from '../../../space/ops/window.js';
import { explicitPadding } from '../geometry.js';
import { dilated, padSpatial } from '../ops.js';
import { initializerFor, type InitConfig } from './init.js';
import { layerBase } from './base.js';

/**
 * One convolution layer for every conv op of the catalog, written from tfjs ops so that explicit
 * padding, dilation (with gradients) and groups all work:
 * - `conv`: kernel [kh, kw, C_in/g, C_out]; groups split the channels (ResNeXt), g = C_in is depthwise;
 * - `depthwise`: kernel [kh, kw, 1, C·m] (PyTorch's grouped layout, so He init sees fan-in kh·kw);
 * - `separable`: depthwise kernel then pointwise [1, 1, C·m, C_out], one bias at the end.
 */
export type ConvConfig = {
  readonly kind: 'conv' | 'depthwise' | 'separable';
  readonly filters: number;
  readonly groups: number;
  readonly multiplier: number;
  readonly window: WindowAttrs;
  readonly bias: boolean;
  readonly init: InitConfig;
};

export function defineConvLayer() {
  const tf = loadTf();
  return class NasConv extends layerBase() {
    static readonly className = 'NasConv';
    readonly cfg: ConvConfig;
    private kernel?: LayerVariable;
    private pointwise?: LayerVariable;
    private biasWeight?: LayerVariable;

    constructor(args: { name?: string; cfg: ConvConfig }) {
      super(args.name === undefined ? {} : { name: args.name });
      this.cfg = args.cfg;
    }

    override build(inputShape: (number | null)[]): void {
      const c = inputShape[3] as number;
      const { kind, filters, groups, multiplier, window, init } = this.cfg;
      const [kh, kw] = window.kernel;
      const kernelShape = kind === 'conv' ? [kh, kw, c / groups, filters] : [kh, kw, 1, c * multiplier];
      this.kernel = this.addWeight('kernel', kernelShape, 'float32', initializerFor(init, 0));
      if (kind === 'separable') {
        this.pointwise = this.addWeight(
          'pointwise_kernel',
          [1, 1, c * multiplier, filters],
          'float32',
          initializerFor(init, 1),
        );
      }
      if (this.cfg.bias)
        this.biasWeight = this.addWeight('bias', [this.outChannels(c)], 'float32', tf.initializers.zeros());
      this.built = true;
    }

    private outChannels(c: number): number {
      return this.cfg.kind === 'depthwise' ? c * this.cfg.multiplier : this.cfg.filters;
    }

    override computeOutputShape(inputShape: (number | null)[]): (number | null)[] {
      const [n, h, w, c] = inputShape as [number | null, number, number, number];
      const sides = explicitPadding(h, w, this.cfg.window);
      const [kh, kw] = this.cfg.window.kernel;
      const [sh, sw] = this.cfg.window.stride;
      const [dh, dw] = this.cfg.window.dilation;
      const ho = Math.floor((h + sides[0][0] + sides[0][1] - dh * (kh - 1) - 1) / sh) + 1;
      const wo = Math.floor((w + sides[1][0] + sides[1][1] - dw * (kw - 1) - 1) / sw) + 1;
      return [n, ho, wo, this.outChannels(c)];
    }

    override call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => {
        const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor4D;
        const [, h, w, c] = x.shape;
        const { window } = this.cfg;
        const padded = padSpatial(x, explicitPadding(h, w, window));
        // Stride and dilation on one axis (PyTorch allows it, TensorFlow does not): convolve at
        // stride 1 there and keep every s-th output, which is what the strided dilated conv computes.
        const both = [0, 1].map((i) => (window.dilation[i] as number) > 1 && (window.stride[i] as number) > 1);
        const stride: [number, number] = [both[0] ? 1 : window.stride[0], both[1] ? 1 : window.stride[1]];
        let y = dilated(padded, window.dilation, window.kernel, (t) => this.convolve(t, c, stride));
        if (both[0] || both[1])
          y = tf.avgPool(y, 1, [both[0] ? window.stride[0] : 1, both[1] ? window.stride[1] : 1], 'valid');
        if (this.pointwise) y = tf.conv2d(y, this.pointwise.read() as Tensor4D, 1, 'valid');
        return this.biasWeight ? tf.add(y, this.biasWeight.read()) : y;
      });
    }

    private convolve(x: Tensor4D, c: number, stride: [number, number]): Tensor4D {
      const { kind, groups, multiplier, filters } = this.cfg;
      const kernel = this.kernel?.read() as Tensor4D;
      const [kh, kw] = this.cfg.window.kernel;
      if (kind !== 'conv' || (groups === c && filters % c === 0)) {
        const m = kind === 'conv' ? filters / c : multiplier;
        return tf.depthwiseConv2d(x, tf.reshape(kernel, [kh, kw, c, m]) as Tensor4D, stride, 'valid');
      }
      if (groups === 1) return tf.conv2d(x, kernel, stride, 'valid');
      const xs = tf.split(x, groups, 3) as Tensor4D[];
      const ks = tf.split(kernel, groups, 3) as Tensor4D[];
      return tf.concat(
        xs.map((part, g) => tf.conv2d(part, ks[g] as Tensor4D, stride, 'valid')),
        3,
      ) as Tensor4D;
    }

    override getConfig() {
      // Cast: tfjs's ConfigDict takes only mutable, index-signed values; our config is a readonly interface of plain data.
      return { ...super.getConfig(), cfg: this.cfg as unknown as Record<string, never> };
    }
  };
}
