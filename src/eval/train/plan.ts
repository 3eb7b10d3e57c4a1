import type { LayersModel } from '@tensorflow/tfjs-node';
import type { Layer } from '@tensorflow/tfjs-layers/dist/engine/topology.js';
import type { Rng } from '../../core/rng.js';
import { checkPart, type TrainData } from './batches.js';
import type { ResolvedTrainConfig } from './config.js';
import { TrainConfigError } from './errors.js';

/** How many steps a run makes: per epoch, in all, and over how many epochs (the last may be short). */
export type RunPlan = { readonly stepsPerEpoch: number; readonly totalSteps: number; readonly epochs: number };

/** The steps of a run on `trainCount` images: ⌈n / B⌉ per epoch (⌊n / B⌋ with dropLast). */
export function planRun(trainCount: number, cfg: ResolvedTrainConfig): RunPlan {
  const stepsPerEpoch = cfg.dropLast ? Math.floor(trainCount / cfg.batchSize) : Math.ceil(trainCount / cfg.batchSize);
  if (stepsPerEpoch === 0) {
    throw new TrainConfigError([
      `dropLast: the training subset (${trainCount} images) is smaller than one batch (${cfg.batchSize}), so no step is left`,
    ]);
  }
  if (cfg.budget.unit === 'epochs')
    return { stepsPerEpoch, totalSteps: cfg.budget.count * stepsPerEpoch, epochs: cfg.budget.count };
  return { stepsPerEpoch, totalSteps: cfg.budget.count, epochs: Math.ceil(cfg.budget.count / stepsPerEpoch) };
}

/**
 * The 0-based step from which a run trains quantization-aware (`qat`): the first step of its last
 * `qat.epochs` epochs, or of its last ⌈fraction·T⌉ steps (at least one); undefined without `qat`.
 */
export function qatStartStep(plan: RunPlan, cfg: ResolvedTrainConfig): number | undefined {
  const qat = cfg.qat;
  if (qat === undefined) return undefined;
  if (qat.epochs !== undefined) return Math.max(0, (plan.epochs - qat.epochs) * plan.stepsPerEpoch);
  // The small slack keeps a product such as 0.3 × 10 = 3.0000000000000004 at 3.
  return plan.totalSteps - Math.max(1, Math.ceil(qat.fraction * plan.totalSteps - 1e-9));
}

/** Checks that the model has one logits output [B, K] and that the data fit it; throws every problem at once. */
export function checkData(model: LayersModel, data: TrainData, cfg: ResolvedTrainConfig): void {
  const problems: string[] = [];
  const output = model.outputs[0]?.shape ?? [];
  if (model.outputs.length !== 1 || output.length !== 2) {
    problems.push(
      `model: expected one output of shape [batch, classes] (logits), got ${model.outputs.map((o) => `[${o.shape.join(', ')}]`).join(', ')}`,
    );
  }
  const classes = output[1] ?? 0;
  const input = model.inputs[0]?.shape.slice(1) ?? [];
  problems.push(...checkPart('train', data.train, input, classes));
  if (data.validation !== undefined) problems.push(...checkPart('validation', data.validation, input, classes));
  if (data.test !== undefined) problems.push(...checkPart('test', data.test, input, classes));
  if (cfg.test && data.test === undefined)
    problems.push('test: the config asks for test accuracy but no test part was given');
  if (problems.length > 0) throw new TrainConfigError(problems, 'training data');
}

/** Class names of the layers that draw a seeded random mask in training: tfjs's Dropout and drop-path. */
export const MASK_LAYERS: ReadonlySet<string> = new Set(['Dropout', 'NasDropPath']);

/**
 * Gives every dropout layer a fresh seed from `rng` before a step. tfjs's Dropout draws its mask from
 * Math.random without a seed, and from the same seed every call with one; a seed per step makes the
 * masks both varied and reproducible.
 */
export function seedDropout(layers: readonly Layer[], rng: Rng): void {
  // Cast: tfjs declares Dropout's `seed` private, though it reads it at every call.
  for (const layer of layers) (layer as unknown as { seed: number }).seed = rng.int32();
}
