import type { TrialEngine } from '../core/trial.js';
import type { ResolvedTrainConfig } from '../eval/train/config.js';
import { optimizerName, type CostOptions } from '../space/cost/index.js';

/**
 * The cost model's training setting of a train config: its batch, its optimizer's state, its
 * checkpointing and its precision, the last two only where the compiled engine applied them (a
 * network that fell back to eager stores every activation in float32; bf16 falls back to float32 on
 * a machine without fast bfloat16). Without `engine` (before training), what the config asks for.
 */
export function trainCostOptions(
  train: ResolvedTrainConfig,
  engine?: TrialEngine,
): Pick<CostOptions, 'batch' | 'optimizer' | 'segments' | 'precision'> {
  const compiled = (engine?.name ?? train.engine) === 'compiled';
  const segments = compiled ? train.checkpointing?.segments : undefined;
  const bf16 = compiled && train.precision === 'bf16' && (engine === undefined || engine.precision?.used === 'bf16');
  return {
    batch: train.batchSize,
    optimizer: optimizerName(train.optimizer),
    ...(segments === undefined ? {} : { segments }),
    ...(bf16 ? { precision: 'bf16' } : {}),
  };
}
