import type { Dataset } from '../../core/data.js';
import { Rng } from '../../core/rng.js';
import {
  augmentBatch,
  channelStats,
  loadDataset,
  normalizeBatch,
  splitTrainValidation,
  type ChannelStats,
} from '../../backend/data/index.js';
import type { TrainData } from '../../eval/train/index.js';
import type { ExperimentConfig } from '../config.js';

const cache = new Map<string, Promise<Dataset>>();

/** The data set of an experiment, loaded once per thread (each worker thread keeps its own copy). */
function datasetOf(config: ExperimentConfig): Promise<Dataset> {
  const key = JSON.stringify([config.dataset.name, config.dataset.options]);
  let loading = cache.get(key);
  if (loading === undefined) {
    loading = loadDataset(config.dataset.name, config.dataset.options);
    cache.set(key, loading);
  }
  return loading;
}

/**
 * The training data of every trial of an experiment: the same seeded train/validation split (from
 * the experiment seed), per-channel normalisation from the training part (`stats`), and the
 * configured augmentation of training batches.
 */
export async function trialData(
  config: ExperimentConfig,
): Promise<{ data: TrainData; numClasses: number; shape: readonly number[]; stats: ChannelStats }> {
  const dataset = await datasetOf(config);
  const { train, validation } = splitTrainValidation(dataset.train, {
    seed: config.seed,
    validationFraction: config.dataset.validationFraction,
    ...(config.dataset.subset === undefined ? {} : { subset: config.dataset.subset }),
  });
  const stats = channelStats(dataset.train, train.indices);
  const shape = dataset.train.shape;
  const augment = config.dataset.augment;
  const data: TrainData = {
    train,
    validation,
    test: { set: dataset.test, indices: Uint32Array.from({ length: dataset.test.count }, (_, i) => i) },
    transform: {
      eval: (images, count) => normalizeBatch(images, count, shape, stats),
      train: (images, count, _shape, rng: Rng) => {
        normalizeBatch(images, count, shape, stats);
        if (augment) augmentBatch(images, count, shape, augment, rng);
      },
    },
  };
  return { data, numClasses: dataset.numClasses, shape, stats };
}
