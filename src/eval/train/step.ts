import type { LayersModel, Scalar, Tensor, Tensor2D } from '@tensorflow/tfjs-node';
import { loadTf } from '../../backend/tf.js';
import type { BatchTensors } from './batches.js';
import { clipCoefficient, scaleGradients, squaredNorms } from './clip.js';
import { correctCount, softmaxCrossEntropy } from './loss.js';
import type { Optimizer, Param } from './optimizers.js';

/** What one training step needs besides the batch and the learning rate. */
export type StepContext = {
  readonly model: LayersModel;
  readonly params: readonly Param[];
  readonly optimizer: Optimizer;
  readonly labelSmoothing: number;
  readonly clipNorm?: number;
  /** Read every gradient's squared norm (for diagnostics); clipping reads them anyway. */
  readonly measureNorms: boolean;
};

/** Loss and correct count of one step's batch, and the squared gradient norms if they were read. */
export type StepStats = { readonly loss: number; readonly correct: number; readonly squaredNorms?: Float32Array };

/**
 * One optimizer step: forward in training mode (BatchNorm batch statistics and moving-average update,
 * dropout on), smoothed cross-entropy, gradients, optional global-norm clipping, update at `lr`. A
 * NaN or infinite loss is returned without updating the weights.
 */
export function trainStep(ctx: StepContext, batch: BatchTensors, lr: number): StepStats {
  const tf = loadTf();
  const variables = ctx.params.map((p) => p.variable);
  const readNorms = ctx.measureNorms || ctx.clipNorm !== undefined;
  let correct: Scalar | undefined;
  let stats: StepStats = { loss: Number.NaN, correct: 0 };
  try {
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const logits = ctx.model.apply(batch.x, { training: true }) as Tensor2D;
        correct = tf.keep(correctCount(logits, batch.labels));
        return softmaxCrossEntropy(logits, batch.labels, ctx.labelSmoothing);
      }, variables);
      const list: (Tensor | undefined)[] = variables.map((v) => grads[v.name]);
      const parts: Tensor[] = [tf.reshape(value, [1]), tf.reshape(correct as Scalar, [1])];
      if (readNorms) parts.push(squaredNorms(list));
      const read = tf.concat(parts).dataSync() as Float32Array;
      const loss = read[0] as number;
      const norms = readNorms ? read.slice(2) : undefined;
      stats = { loss, correct: read[1] as number, ...(norms === undefined ? {} : { squaredNorms: norms }) };
      if (!Number.isFinite(loss)) return;
      const coefficient = ctx.clipNorm !== undefined && norms !== undefined ? clipCoefficient(norms, ctx.clipNorm) : 1;
      ctx.optimizer.step(scaleGradients(list, coefficient), lr);
    });
  } finally {
    correct?.dispose();
  }
  return stats;
}
