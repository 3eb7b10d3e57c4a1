import type { Tensor } from '@tensorflow/tfjs-node';
import { loadTf } from '../../backend/tf.js';

/**
 * Gradient clipping by global norm (Pascanu et al. 2013), as PyTorch's `clip_grad_norm_`: with
 * N = √(Σ‖g‖²) over all gradients, every gradient is multiplied by min(1, maxNorm / (N + 1e-6)).
 */
export function clipCoefficient(squaredNorms: ArrayLike<number>, maxNorm: number): number {
  return Math.min(1, maxNorm / (globalNorm(squaredNorms) + 1e-6));
}

/** √(Σ squared norms). */
export function globalNorm(squaredNorms: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < squaredNorms.length; i++) sum += squaredNorms[i] as number;
  return Math.sqrt(sum);
}

/** ‖g‖² of every gradient (0 where there is none), as one vector tensor. */
export function squaredNorms(grads: readonly (Tensor | undefined)[]): Tensor {
  const tf = loadTf();
  return tf.tidy(() => tf.stack(grads.map((g) => (g === undefined ? tf.scalar(0) : tf.sum(tf.square(g))))));
}

/** The gradients multiplied by `coefficient` (the same tensors when it is 1). */
export function scaleGradients(grads: readonly (Tensor | undefined)[], coefficient: number): (Tensor | undefined)[] {
  const tf = loadTf();
  if (coefficient === 1) return [...grads];
  return grads.map((g) => (g === undefined ? undefined : tf.mul(g, coefficient)));
}
