import type { LayersModel, Tensor, Tensor2D } from '@tensorflow/tfjs-node';
import { Rng } from '../../core/rng.js';
import { loadTf } from '../../backend/tf.js';
import { BatchBuffer, type BatchTensors, type BatchTransform, type IndexedImages } from './batches.js';
import { correctCount, softmaxCrossEntropy } from './loss.js';

/** Mean cross-entropy (no label smoothing) and accuracy over a part, and how many images it holds. */
export type Evaluation = { readonly loss: number; readonly accuracy: number; readonly count: number };

/** How to evaluate: batch size and the transform of evaluation batches (normalisation). */
export type EvaluateOptions = {
  readonly batchSize: number;
  readonly transform?: BatchTransform;
  readonly buffer?: BatchBuffer;
};

/**
 * Loss and accuracy of `model` over the images of `part`, in batches, with BatchNorm in inference mode
 * (moving mean and variance, design part 3.1) and dropout off. Loss sums in float64.
 */
export function evaluate(model: LayersModel, part: IndexedImages, options: EvaluateOptions): Evaluation {
  return evaluateBatches(part, options, (batch) => inferenceStats(model, batch));
}

/** [mean cross-entropy, correct count] of one batch through `model` in inference mode. */
export function inferenceStats(model: LayersModel, batch: BatchTensors): ArrayLike<number> {
  const tf = loadTf();
  return tf.tidy(() => {
    const logits = model.apply(batch.x, { training: false }) as Tensor2D;
    const both: Tensor = tf.stack([softmaxCrossEntropy(logits, batch.labels), correctCount(logits, batch.labels)]);
    return both.dataSync();
  });
}

/** Loss and accuracy over a part from a function giving each batch's [mean loss, correct count]. */
export function evaluateBatches(
  part: IndexedImages,
  options: EvaluateOptions,
  batchStats: (batch: BatchTensors) => ArrayLike<number>,
): Evaluation {
  const tf = loadTf();
  const buffer = options.buffer ?? new BatchBuffer(part.set.shape, options.batchSize);
  const rng = new Rng('evaluate');
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < part.indices.length; start += buffer.capacity) {
    const batch = buffer.next(part.set, part.indices, start, options.transform, rng);
    try {
      const read = batchStats(batch);
      lossSum += (read[0] as number) * batch.count;
      correct += read[1] as number;
    } finally {
      tf.dispose([batch.x, batch.labels]);
    }
  }
  const count = part.indices.length;
  return { loss: lossSum / count, accuracy: correct / count, count };
}
