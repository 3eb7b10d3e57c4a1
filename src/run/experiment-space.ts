import { findDataset, resolveDatasetOptions } from '../backend/data/index.js';
import { resolveTrainConfig } from '../eval/train/config.js';
import { constrainSpace, constraintFrom } from '../space/constraint.js';
import type { SearchSpace } from '../space/search-space.js';
import { createSpace } from '../space/spaces/index.js';
import type { ExperimentConfig } from './config.js';
import { trainCostOptions } from './train-cost.js';

/** The experiment's space; with constraints, a view of it that proposes only samples within the limits. */
export function experimentSpace(config: ExperimentConfig): SearchSpace {
  const space = createSpace(config.space.name, config.space.options);
  const limits = config.constraints;
  if (limits === undefined || Object.keys(limits).length === 0) return space;
  const dataset = findDataset(config.dataset.name);
  const options = resolveDatasetOptions(config.dataset.name, config.dataset.options);
  const budget = {
    ...(limits.maxMacs === undefined ? {} : { maxMacs: limits.maxMacs }),
    ...(limits.maxParams === undefined ? {} : { maxParams: limits.maxParams }),
    ...(limits.maxTrainMemoryBytes === undefined ? {} : { maxTrainMemory: limits.maxTrainMemoryBytes }),
  };
  const train = trainCostOptions(resolveTrainConfig({ ...config.train, seed: config.seed }));
  return constrainSpace(space, constraintFrom(budget), {
    inputShape: dataset.shape(options),
    classes: dataset.numClasses(options),
    ...train,
  });
}
