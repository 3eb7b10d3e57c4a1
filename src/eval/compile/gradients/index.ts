/**
 * Gradient rules by TensorFlow op type, as in TensorFlow's `python/ops/nn_grad.py`, `math_grad.py`
 * and `array_grad.py` (its fake-quantization gradients: quantization.ts): each takes the forward node
 * and the gradients of its outputs and emits the gradients of its inputs (undefined for an input
 * that gets none, such as a shape or an index).
 */
import { ARRAY_GRADIENTS } from './array.js';
import { MATH_GRADIENTS } from './math.js';
import { NN_GRADIENTS } from './nn.js';
import { QUANTIZATION_GRADIENTS } from './quantization.js';
import type { GradientRule } from './rule.js';

export type { GradientRule } from './rule.js';

const RULES: Readonly<Record<string, GradientRule>> = {
  ...MATH_GRADIENTS,
  ...ARRAY_GRADIENTS,
  ...NN_GRADIENTS,
  ...QUANTIZATION_GRADIENTS,
};

/** Thrown when the loss depends on an op that has no gradient rule: the compiler's gap, not the user's. */
export class NoGradientError extends Error {
  constructor(readonly op: string) {
    super(`no gradient rule for TensorFlow op ${op}`);
  }
}

/** The rule of an op type; throws {@link NoGradientError} if there is none. */
export function gradientRule(op: string): GradientRule {
  const rule = RULES[op];
  if (rule === undefined) throw new NoGradientError(op);
  return rule;
}
