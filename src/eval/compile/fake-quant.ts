/**
 * The fake-quantization ops of quantization-aware training (TensorFlow's FakeQuantWithMinMaxVars*:
 * quantize then dequantize, with the range as an input; gradients: gradients/quantization.ts, the
 * straight-through estimator).
 */
import type { Emit } from './emit.js';
import type { Sym } from './graph.js';

/**
 * TensorFlow's nudging computes the grid's ends in float32 and may put the top one an ulp below
 * max|w_c|: the channel's largest weight would then count as clamped and get no gradient. A range
 * 2⁻²⁰ wider keeps it inside; the grid moves by under 2⁻¹³ of a step.
 */
const KERNEL_RANGE_MARGIN = 1 + 2 ** -20;

/** A floor under max|w_c|: an all-zero channel still gets a valid range (its weights stay 0 exactly). */
const MIN_KERNEL_MAGNITUDE = 1e-12;

export function stopGradient(e: Emit, x: Sym): Sym {
  return e.unary('StopGradient', x);
}

/**
 * A kernel through symmetric 8-bit fake quantization per output channel (its last axis, as
 * per-channel.ts stores it): the range of channel c is ∓max|w_c| of this step's weights, narrow
 * (integers −127…127, zero at 0). The range is a constant to the gradient.
 */
export function fakeQuantizeKernel(e: Emit, w: Sym): Sym {
  const maxAbs = e.reduce(
    'Max',
    e.unary('Abs', w),
    w.shape.slice(0, -1).map((_, i) => i),
  );
  const max = stopGradient(
    e,
    e.mul(e.binary('Maximum', maxAbs, e.scalar(MIN_KERNEL_MAGNITUDE)), e.scalar(KERNEL_RANGE_MARGIN)),
  );
  return e.g.op(
    'FakeQuantWithMinMaxVarsPerChannel',
    [w, e.unary('Neg', max), max],
    { num_bits: { i: 8 }, narrow_range: { b: true } },
    w.shape,
  );
}

/** An activation through affine 8-bit fake quantization on [min, max] (scalars; TensorFlow nudges them so 0 is on the grid). */
export function fakeQuantizeActivation(e: Emit, x: Sym, min: Sym, max: Sym): Sym {
  return e.g.op('FakeQuantWithMinMaxVars', [x, min, max], { num_bits: { i: 8 }, narrow_range: { b: false } }, x.shape);
}
