import type { ResolvedTrainConfig } from '../eval/train/config.js';
import { optimizerName, type CostOptions } from '../space/cost/index.js';

/**
 * The cost model's training setting of a train config: its batch, its optimizer's state and its
 * checkpointing, which only the compiled engine does (a network that fell back to eager stores every
 * activation).
 */
export function trainCostOptions(train: ResolvedTrainConfig, engine: ResolvedTrainConfig['engine'] = train.engine): Pick<CostOptions, 'batch' | 'optimizer' | 'segments'> {
  const segments = engine === 'compiled' ? train.checkpointing?.segments : undefined;
  return { batch: train.batchSize, optimizer: optimizerName(train.optimizer), ...(segments === undefined ? {} : { segments }) };
}
