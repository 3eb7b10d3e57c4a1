import type { Scalar, Tensor1D, Tensor2D } from '@tensorflow/tfjs-node';
import { loadTf } from '../../backend/tf.js';

/**
 * Mean softmax cross-entropy of logits [B, K] against integer labels [B], with label smoothing ε
 * (Szegedy et al. 2016, "Rethinking the Inception architecture", §7): the target puts 1 − ε + ε/K on
 * the label and ε/K on every other class, so loss_i = −Σ_k target_k · log softmax(z_i)_k.
 */
export function softmaxCrossEntropy(logits: Tensor2D, labels: Tensor1D, smoothing = 0): Scalar {
  const tf = loadTf();
  return tf.tidy(() => {
    const classes = logits.shape[1];
    const off = smoothing / classes;
    const target = tf.oneHot(tf.cast(labels, 'int32'), classes, 1 - smoothing + off, off, 'float32');
    return tf.neg(tf.mean(tf.sum(tf.mul(target, tf.logSoftmax(logits)), 1))) as Scalar;
  });
}

/** How many rows of logits [B, K] have their largest value at the label (ties: the first index). */
export function correctCount(logits: Tensor2D, labels: Tensor1D): Scalar {
  const tf = loadTf();
  return tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.cast(labels, 'int32')), 'float32')) as Scalar);
}
