import type { Tensor, Tensor4D } from '@tensorflow/tfjs-node';
import type { LayerVariable } from '@tensorflow/tfjs-layers/dist/variables.js';
import { loadTf } from '../../../backend/tf.js';
import type { WindowAttrs } from '../../../space/ops/window.js';
import { initializerFor, type InitConfig } from './init.js';
import { layerBase } from './base.js';

/** Transposed convolution with PyTorch's geometry: out = (in−1)·s − (p₀+p₁) + d·(k−1) + output_padding + 1. */
export type DeconvConfig = {
  readonly filters: number;
  readonly window: WindowAttrs;
  readonly outputPadding: readonly [number, number];
  readonly bias: boolean;
  readonly init: InitConfig;
};

export function defineDeconvLayer() {
  const tf = loadTf();
  return class NasConvTranspose extends layerBase() {
    static readonly className = 'NasConvTranspose';
    readonly cfg: DeconvConfig;
    private kernel?: LayerVariable;
    private biasWeight?: LayerVariable;

    constructor(args: { name?: string; cfg: DeconvConfig }) {
      super(args.name === undefined ? {} : { name: args.name });
      this.cfg = args.cfg;
    }

    override build(inputShape: (number | null)[]): void {
      const [kh, kw] = this.cfg.window.kernel;
      const shape = [kh, kw, this.cfg.filters, inputShape[3] as number];
      this.kernel = this.addWeight('kernel', shape, 'float32', initializerFor(this.cfg.init, 0));
      if (this.cfg.bias)
        this.biasWeight = this.addWeight('bias', [this.cfg.filters], 'float32', tf.initializers.zeros());
      this.built = true;
    }

    private outLength(size: number, axis: 0 | 1): number {
      const { window, outputPadding } = this.cfg;
      const s = window.stride[axis];
      if (window.pad === 'same') return size * s;
      const [before, after] = window.pad[axis];
      return (
        (size - 1) * s - before - after + window.dilation[axis] * (window.kernel[axis] - 1) + outputPadding[axis] + 1
      );
    }

    override computeOutputShape(inputShape: (number | null)[]): (number | null)[] {
      return [
        inputShape[0] ?? null,
        this.outLength(inputShape[1] as number, 0),
        this.outLength(inputShape[2] as number, 1),
        this.cfg.filters,
      ];
    }

    /** The kernel with d−1 zeros between its taps: a dilated transposed conv is a plain one with it. */
    private dilatedKernel(): Tensor4D {
      const k = this.kernel?.read() as Tensor4D;
      const [dh, dw] = this.cfg.window.dilation;
      if (dh === 1 && dw === 1) return k;
      const [kh, kw, o, i] = k.shape;
      const spread = tf.pad(tf.reshape(k, [kh, 1, kw, 1, o, i]), [
        [0, 0],
        [0, dh - 1],
        [0, 0],
        [0, dw - 1],
        [0, 0],
        [0, 0],
      ]);
      const full = tf.reshape(spread, [kh * dh, kw * dw, o, i]);
      return tf.slice(full, [0, 0, 0, 0], [dh * (kh - 1) + 1, dw * (kw - 1) + 1, o, i]) as Tensor4D;
    }

    override call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => {
        const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor4D;
        const [n, h, w] = x.shape;
        const { window, filters } = this.cfg;
        const stride = window.stride as [number, number];
        const kernel = this.dilatedKernel();
        let y: Tensor4D;
        if (window.pad === 'same') {
          y = tf.conv2dTranspose(x, kernel, [n, h * stride[0], w * stride[1], filters], stride, 'same');
        } else {
          const [kh, kw] = kernel.shape;
          const full = tf.conv2dTranspose(
            x,
            kernel,
            [n, (h - 1) * stride[0] + kh, (w - 1) * stride[1] + kw, filters],
            stride,
            'valid',
          );
          y = this.cropToPyTorch(full, h, w);
        }
        return this.biasWeight ? tf.add(y, this.biasWeight.read()) : y;
      });
    }

    private cropToPyTorch(full: Tensor4D, h: number, w: number): Tensor4D {
      const pad = this.cfg.window.pad as [[number, number], [number, number]];
      const [ho, wo] = [this.outLength(h, 0), this.outLength(w, 1)];
      const [, hf, wf] = full.shape;
      const extraH = Math.max(0, pad[0][0] + ho - hf);
      const extraW = Math.max(0, pad[1][0] + wo - wf);
      const grown =
        extraH + extraW > 0
          ? tf.pad(full, [
              [0, 0],
              [0, extraH],
              [0, extraW],
              [0, 0],
            ])
          : full;
      return tf.slice(grown, [0, pad[0][0], pad[1][0], 0], [-1, ho, wo, -1]);
    }

    override getConfig() {
      // Cast: tfjs's ConfigDict takes only mutable, index-signed values; our config is a readonly interface of plain data.
      return { ...super.getConfig(), cfg: this.cfg as unknown as Record<string, never> };
    }
  };
}
