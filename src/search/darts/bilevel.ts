/**
 * The architecture step of DARTS (Liu et al. 2019, §2.3), on a supernet whose network weights are w
 * and whose architecture parameters are α:
 *
 * - first order: ∇α L_val(w, α);
 * - second order (eq. 7): ∇α L_val(w′, α) − ξ ∇²α,w L_train(w, α) ∇w′ L_val(w′, α), at the virtual
 *   step w′ = w − ξ ∇w L_train(w, α) (eq. 6). The Hessian-vector product is the central difference of
 *   eq. 8: (∇α L_train(w⁺, α) − ∇α L_train(w⁻, α)) / 2ε, w± = w ± ε ∇w′ L_val(w′, α),
 *   ε = r / ‖∇w′ L_val(w′, α)‖ with r = 0.01.
 *
 * As in the paper's code (`architect.py`), the virtual step is the weight optimizer's own: with
 * momentum μ, buffer b and L2 decay λ, w′ = w − ξ (μ b + ∇w L_train + λ w). Both extra terms are
 * constant in α, so eq. 7 and 8 are unchanged. The weights are moved in place and always restored.
 */
import type { Scalar, Tensor, Tensor2D, Variable } from '@tensorflow/tfjs-node';
import { loadTf } from '../../backend/tf.js';
import { softmaxCrossEntropy, type BatchTensors, type Param } from '../../eval/train/index.js';
import type { Supernet } from './supernet.js';

/** What the virtual step needs of the weight optimizer. */
export type VirtualStep = {
  /** ξ: the paper uses the weights' current learning rate. */
  readonly xi: number;
  readonly momentum: number;
  /** SGD momentum buffers in parameter order (empty before the first step, or without momentum). */
  readonly buffers: readonly Variable[];
  readonly weightDecay: number;
};

/** The loss of the supernet on a batch, training mode (batch statistics in BatchNorm). */
export function supernetLoss(net: Supernet, batch: BatchTensors): Scalar {
  const tf = loadTf();
  return tf.tidy(() => softmaxCrossEntropy(net.model.apply(batch.x, { training: true }) as Tensor2D, batch.labels));
}

/** Gradients of the loss on `batch` with respect to `variables` (in their order), and the loss. */
export function gradients(
  net: Supernet,
  batch: BatchTensors,
  variables: readonly Variable[],
): { loss: number; grads: Tensor[] } {
  const tf = loadTf();
  const { value, grads } = tf.variableGrads(() => supernetLoss(net, batch), [...variables]);
  const loss = value.dataSync()[0] as number;
  value.dispose();
  return { loss, grads: variables.map((v) => grads[v.name] ?? tf.zerosLike(v)) };
}

/** ∇α L_val(w, α): the first-order architecture gradient, and the validation loss. */
export function firstOrderAlphaGrads(
  net: Supernet,
  alphas: readonly Variable[],
  valBatch: BatchTensors,
): { loss: number; grads: Tensor[] } {
  return gradients(net, valBatch, alphas);
}

/** Sets every weight to base + scale · direction (direction undefined: base). */
function moveTo(params: readonly Param[], base: readonly Tensor[], direction?: readonly Tensor[], scale = 0): void {
  const tf = loadTf();
  tf.tidy(() =>
    params.forEach((p, i) =>
      p.variable.assign(
        direction === undefined
          ? (base[i] as Tensor)
          : tf.add(base[i] as Tensor, tf.mul(direction[i] as Tensor, scale)),
      ),
    ),
  );
}

/**
 * The second-order architecture gradient (eq. 7 with eq. 8) and the validation loss at w′. `params`
 * are the weights w with their decay flags; w is left exactly as it was.
 */
export function secondOrderAlphaGrads(
  net: Supernet,
  params: readonly Param[],
  alphas: readonly Variable[],
  trainBatch: BatchTensors,
  valBatch: BatchTensors,
  step: VirtualStep,
  r = 0.01,
): { loss: number; grads: Tensor[] } {
  const tf = loadTf();
  const weights = params.map((p) => p.variable);
  const base = weights.map((w) => tf.clone(w));
  let owned: Tensor[] = [];
  try {
    const train = gradients(net, trainBatch, weights);
    owned = train.grads;
    tf.tidy(() =>
      params.forEach((p, i) => {
        let d = train.grads[i] as Tensor;
        if (p.decay && step.weightDecay > 0) d = tf.add(d, tf.mul(base[i] as Tensor, step.weightDecay));
        const buffer = step.buffers[i];
        if (buffer !== undefined && step.momentum > 0) d = tf.add(d, tf.mul(buffer, step.momentum));
        p.variable.assign(tf.sub(base[i] as Tensor, tf.mul(d, step.xi)));
      }),
    );
    tf.dispose(owned);
    const unrolled = gradients(net, valBatch, [...alphas, ...weights]);
    owned = unrolled.grads;
    const dAlpha = unrolled.grads.slice(0, alphas.length);
    const dW = unrolled.grads.slice(alphas.length);
    const norm = tf.tidy(() => tf.sqrt(tf.addN(dW.map((g) => tf.sum(tf.square(g))))).dataSync()[0] as number);
    const epsilon = r / (norm > 0 ? norm : 1);
    moveTo(params, base, dW, epsilon);
    const plus = gradients(net, trainBatch, alphas).grads;
    moveTo(params, base, dW, -epsilon);
    const minus = gradients(net, trainBatch, alphas).grads;
    const grads = tf.tidy(() =>
      dAlpha.map((g, i) => tf.sub(g, tf.mul(tf.sub(plus[i] as Tensor, minus[i] as Tensor), step.xi / (2 * epsilon)))),
    );
    tf.dispose([...plus, ...minus]);
    return { loss: unrolled.loss, grads };
  } finally {
    moveTo(params, base);
    tf.dispose([...base, ...owned]);
  }
}
