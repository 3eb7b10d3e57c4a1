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
};

/** What a step reads for the diagnostics (a check, docs/training.md): norms, and the gradients' values. */
export type StepMeasure = { readonly norms: boolean; readonly gradientValues: boolean };

/**
 * Loss and correct count of one step's batch; when measured, each weight's ‖g‖² (before clipping)
 * and ‖w‖² (before the update), and the gradients' values.
 */
export type StepStats = {
  readonly loss: number;
  readonly correct: number;
  readonly squaredGrads?: Float32Array;
  readonly squaredWeights?: Float32Array;
  readonly gradientValues?: readonly Float32Array[];
};

/**
 * One optimizer step: forward in training mode (BatchNorm batch statistics and moving-average update,
 * dropout on), smoothed cross-entropy, gradients, optional global-norm clipping, update at `lr`. A
 * NaN or infinite loss is returned without updating the weights.
 */
export function trainStep(ctx: StepContext, batch: BatchTensors, lr: number, measure?: StepMeasure): StepStats {
  const tf = loadTf();
  const variables = ctx.params.map((p) => p.variable);
  const readNorms = measure?.norms === true || ctx.clipNorm !== undefined;
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
      if (measure?.norms === true) parts.push(squaredNorms(variables));
      const read = tf.concat(parts).dataSync() as Float32Array;
      const loss = read[0] as number;
      const n = variables.length;
      const norms = readNorms ? read.slice(2, 2 + n) : undefined;
      const measured =
        measure?.norms === true
          ? { squaredGrads: norms as Float32Array, squaredWeights: read.slice(2 + n, 2 + 2 * n) }
          : {};
      const values =
        measure?.gradientValues === true
          ? {
              gradientValues: list.map((g, i) =>
                g === undefined ? new Float32Array((variables[i] as Tensor).size) : (g.dataSync() as Float32Array),
              ),
            }
          : {};
      stats = { loss, correct: read[1] as number, ...measured, ...values };
      if (!Number.isFinite(loss)) return;
      const coefficient = ctx.clipNorm !== undefined && norms !== undefined ? clipCoefficient(norms, ctx.clipNorm) : 1;
      ctx.optimizer.step(scaleGradients(list, coefficient), lr);
    });
  } finally {
    correct?.dispose();
  }
  return stats;
}
