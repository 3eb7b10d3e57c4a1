// MNIST subsets for the diagnostics tests: real images, normalised like a search normalises them.
import { channelStats, loadDataset, normalizeBatch, splitTrainValidation } from '../../../src/backend/data/index.js';
import type { BatchTransform, TrainData } from '../../../src/eval/train/index.js';

export async function mnistSubset(
  trainCount: number,
  validationCount: number,
): Promise<{ data: TrainData; shape: readonly number[]; classes: number }> {
  const mnist = await loadDataset('mnist');
  const { train, validation } = splitTrainValidation(mnist.train, {
    seed: 0,
    validationCount,
    subset: trainCount + validationCount,
  });
  const stats = channelStats(mnist.train, train.indices);
  const normalize: BatchTransform = (images, count, shape) => normalizeBatch(images, count, shape, stats);
  return {
    data: { train, validation, transform: { train: normalize, eval: normalize } },
    shape: mnist.train.shape,
    classes: mnist.numClasses,
  };
}
