/**
 * Gradients of TensorFlow's fake-quantization ops (`array_grad.py`): the straight-through estimator,
 * by TensorFlow's own gradient kernels. Inside the op's nudged range the gradient passes unchanged
 * (rounding is treated as the identity); outside, where the op clamps, it is zero for the input and
 * goes to `min` or `max` instead (summed, per channel for the per-channel op).
 */
import type { Attr, GraphNode, Sym } from '../graph.js';
import type { GradientRule } from './rule.js';

const first = (dys: readonly (Sym | undefined)[]) => dys[0] as Sym;

/** The attributes of the forward op that its gradient kernel takes. */
function quantizerAttrs(node: GraphNode, keys: readonly string[]): Record<string, Attr> {
  return Object.fromEntries(keys.filter((k) => node.attrs[k] !== undefined).map((k) => [k, node.attrs[k] as Attr]));
}

/** A Vars op: (x, min, max) → the kernel's three outputs (dx, dmin, dmax), min and max shaped like the op's. */
const withRangeInputs =
  (kernel: string): GradientRule =>
  (e, node, dys) => {
    const [x, min, max] = node.inputs as [Sym, Sym, Sym];
    const outs = e.g.add(kernel, [first(dys), x, min, max], quantizerAttrs(node, ['num_bits', 'narrow_range']), [
      { shape: x.shape, dtype: 'float32' },
      { shape: min.shape, dtype: 'float32' },
      { shape: max.shape, dtype: 'float32' },
    ]).outputs;
    return [outs[0], outs[1], outs[2]];
  };

export const QUANTIZATION_GRADIENTS: Readonly<Record<string, GradientRule>> = {
  FakeQuantWithMinMaxArgs: (e, node, dys) => {
    const x = node.inputs[0] as Sym;
    return [
      e.g.op(
        'FakeQuantWithMinMaxArgsGradient',
        [first(dys), x],
        quantizerAttrs(node, ['min', 'max', 'num_bits', 'narrow_range']),
        x.shape,
      ),
    ];
  },
  FakeQuantWithMinMaxVars: withRangeInputs('FakeQuantWithMinMaxVarsGradient'),
  FakeQuantWithMinMaxVarsPerChannel: withRangeInputs('FakeQuantWithMinMaxVarsPerChannelGradient'),
};
