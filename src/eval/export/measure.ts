/** Figures of an exported model measured on the loaded artefact: latency at batch 1, test accuracy. */
import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs-node';
import { loadTf } from '../../backend/tf.js';
import { measureMedianMs, type TimingOptions } from '../latency.js';
import type { BatchTransform, IndexedImages } from '../train/batches.js';
import { evaluateBatches } from '../train/evaluate.js';
import { correctCount, softmaxCrossEntropy } from '../train/loss.js';
import type { Predictor } from './load.js';

/** Batch 1, median of 10 runs after 3 warm-up runs. */
export const EXPORT_LATENCY: TimingOptions = { warmup: 3, repeats: 10 };

/** Median ms of one prediction at batch 1 on zeros of `inputShape` (H, W, C). */
export function exportedLatencyMs(
  model: Predictor,
  inputShape: readonly number[],
  timing: TimingOptions = EXPORT_LATENCY,
): number {
  return measureMedianMs((x) => model.predict(x), [1, ...inputShape], timing);
}

/** Accuracy over `part`, its batches transformed by `transform` (the experiment's normalisation). */
export function exportedAccuracy(
  model: Predictor,
  part: IndexedImages,
  transform: BatchTransform,
  batchSize = 256,
): number {
  const tf = loadTf();
  const evaluation = evaluateBatches(part, { batchSize, transform }, (batch) =>
    tf.tidy(() => {
      const logits = model.predict(batch.x) as Tensor2D;
      return tf
        .stack([softmaxCrossEntropy(logits, batch.labels as Tensor1D), correctCount(logits, batch.labels)])
        .dataSync();
    }),
  );
  return evaluation.accuracy;
}
