import type { ResolvedArch } from '../../space/resolve.js';
import { buildModel } from '../build/build-model.js';
import type { TrainData } from './batches.js';
import { resolveTrainConfig, type TrainConfig } from './config.js';
import { train, type TrainHooks, type TrainResult } from './loop.js';

/**
 * Builds an architecture (weights initialised by `config.init`, seeded by `config.seed`), trains it
 * with {@link train} and disposes it: the tensor count is back to where it was, also on a throw.
 */
export async function trainArch(arch: ResolvedArch, data: TrainData, config: TrainConfig, hooks: TrainHooks = {}): Promise<TrainResult & { readonly params: number }> {
  const cfg = resolveTrainConfig(config);
  const model = buildModel(arch, { seed: cfg.seed, init: cfg.init });
  try {
    const result = await train(model, data, cfg, hooks);
    return { ...result, params: model.countParams() };
  } finally {
    model.dispose();
  }
}
