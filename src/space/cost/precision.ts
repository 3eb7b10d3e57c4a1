/**
 * Training precision. 'fp32' keeps every tensor in float32. 'bf16' and 'fp16' are mixed precision
 * (Micikevicius et al. 2018): float32 master weights, gradients for the update, optimizer state and
 * BatchNorm statistics; a 2-byte copy of the trainable weights for compute; 2-byte activations.
 */
export const PRECISIONS = ['fp32', 'bf16', 'fp16'] as const;
export type Precision = (typeof PRECISIONS)[number];

/** Bytes per element of each kind of tensor a training step holds. */
export type ElementBytes = {
  /** Weights (master copy), BatchNorm statistics, gradients and optimizer state. */
  readonly master: number;
  /** The compute copy of each trainable weight; 0 when compute reads the master weights. */
  readonly weightCopy: number;
  /** Activations, stored for the backward pass or alive during inference. */
  readonly activation: number;
};

export function elementBytes(precision: Precision): ElementBytes {
  return precision === 'fp32'
    ? { master: 4, weightCopy: 0, activation: 4 }
    : { master: 4, weightCopy: 2, activation: 2 };
}
