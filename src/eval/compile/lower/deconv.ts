/**
 * Transposed convolution with PyTorch's geometry, as the builder's NasConvTranspose computes it
 * (src/eval/build/layers/deconv.ts): TensorFlow's Conv2DBackpropInput, a dilated kernel spread with
 * zeros, and for explicit padding the full output cropped (or padded) to PyTorch's size.
 */
import type { TransposedConvNode } from '../../../core/arch.js';
import { pairOf, windowAttrs } from '../../../space/ops/window.js';
import type { Sym } from '../graph.js';
import { biasAdd, convAttrs } from '../nn.js';
import type { LowerContext } from './context.js';

export function lowerDeconv(ctx: LowerContext, layer: string, node: TransposedConvNode, x: Sym): Sym {
  const { e } = ctx;
  const [, h, w, cin] = x.shape as [number, number, number, number];
  const window = windowAttrs(node, 'one');
  const outputPadding = pairOf(node.outputPadding, 0);
  const [kh, kw] = window.kernel;
  const [sh, sw] = window.stride;
  const kernel = dilatedKernel(
    ctx,
    ctx.weight(layer, 'kernel', [kh, kw, node.filters, cin], 'kernel'),
    window.dilation,
  );
  const [kdh, kdw] = kernel.shape as [number, number];
  const transposed = (size: readonly number[], padding: 'SAME' | 'VALID') =>
    e.g.op(
      'Conv2DBackpropInput',
      [e.shapeTensor(size, x), kernel, x],
      { ...convAttrs([sh, sw], [1, 1], padding), use_cudnn_on_gpu: { b: true } },
      size,
    );
  let y: Sym;
  if (window.pad === 'same') {
    y = transposed([-1, h * sh, w * sw, node.filters], 'SAME');
  } else {
    const full = transposed([-1, (h - 1) * sh + kdh, (w - 1) * sw + kdw, node.filters], 'VALID');
    const length = (size: number, i: 0 | 1) => {
      const [before, after] = (window.pad as [[number, number], [number, number]])[i];
      return (
        (size - 1) * window.stride[i] -
        before -
        after +
        window.dilation[i] * (window.kernel[i] - 1) +
        outputPadding[i] +
        1
      );
    };
    const [ho, wo] = [length(h, 0), length(w, 1)];
    const [[top], [left]] = window.pad;
    const [, hf, wf] = full.shape as [number, number, number];
    const extraH = Math.max(0, top + ho - hf);
    const extraW = Math.max(0, left + wo - wf);
    const grown =
      extraH + extraW > 0
        ? e.pad(full, [
            [0, 0],
            [0, extraH],
            [0, extraW],
            [0, 0],
          ])
        : full;
    y = e.slice(grown, [0, top, left, 0], [-1, ho, wo, node.filters]);
  }
  return (node.bias ?? true) ? biasAdd(e, y, ctx.weight(layer, 'bias', [node.filters], 'bias')) : y;
}

/** The kernel with d − 1 zeros between its taps (a dilated transposed conv is a plain one with it). */
function dilatedKernel(ctx: LowerContext, k: Sym, dilation: readonly [number, number]): Sym {
  const { e } = ctx;
  const [dh, dw] = dilation;
  if (dh === 1 && dw === 1) return k;
  const [kh, kw, o, i] = k.shape as [number, number, number, number];
  const spread = e.pad(e.reshape(k, [kh, 1, kw, 1, o, i]), [
    [0, 0],
    [0, dh - 1],
    [0, 0],
    [0, dw - 1],
    [0, 0],
    [0, 0],
  ]);
  const full = e.reshape(spread, [kh * dh, kw * dw, o, i]);
  return e.slice(full, [0, 0, 0, 0], [dh * (kh - 1) + 1, dw * (kw - 1) + 1, o, i]);
}
