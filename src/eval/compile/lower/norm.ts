/**
 * BatchNorm (design part 3.1) on TensorFlow's fused kernel, as the builder's FusedBatchNorm layer:
 * in training the batch statistics normalise and feed the moving averages (biased variance); in
 * inference the moving statistics normalise. Rank-2 inputs go through as [N, 1, 1, C].
 */
import type { BatchNormNode } from '../../../core/arch.js';
import type { Sym } from '../graph.js';
import { fusedBatchNorm } from '../nn.js';
import type { LowerContext } from './context.js';

export function lowerBatchNorm(ctx: LowerContext, layer: string, node: BatchNormNode, x: Sym): Sym {
  const { e } = ctx;
  const c = x.shape.at(-1) as number;
  const epsilon = node.epsilon ?? 1e-5;
  const affine = node.affine ?? true;
  const gamma = affine ? ctx.weight(layer, 'gamma', [c], 'gamma') : e.constF(new Float32Array(c).fill(1), [c]);
  const beta = affine ? ctx.weight(layer, 'beta', [c], 'beta') : e.constF(new Float32Array(c), [c]);
  const movingMean = ctx.weight(layer, 'moving_mean', [c], 'moving');
  const movingVariance = ctx.weight(layer, 'moving_variance', [c], 'moving');
  const x4 = x.shape.length === 4 ? x : e.reshape(x, [-1, 1, 1, c]);
  if (!ctx.training) {
    const [y] = fusedBatchNorm(e, x4, gamma, beta, movingMean, movingVariance, epsilon, false);
    return x.shape.length === 4 ? (y as Sym) : e.reshape(y as Sym, x.shape);
  }
  const empty = e.constF([], [0]);
  const [y, mean, unbiased] = fusedBatchNorm(e, x4, gamma, beta, empty, empty, epsilon, true) as [Sym, Sym, Sym];
  // The kernel's variance is Bessel-corrected (n / (n − 1)); the moving average takes the biased one.
  const n = e.countAlong(x4, [0, 1, 2]);
  const biased = e.mul(unbiased, e.div(e.binary('Maximum', e.sub(n, e.scalar(1)), e.scalar(1)), n));
  ctx.batchStatistics(layer, mean, biased);
  return x.shape.length === 4 ? y : e.reshape(y, x.shape);
}
