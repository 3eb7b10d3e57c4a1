// How a run's steps and evaluation batches are computed: the eager model with our optimizer
// (tfjs ops one by one), or a compiled graph (src/eval/compile, one native call per step).
import type { LayersModel, Tensor1D, Tensor4D, Variable } from '@tensorflow/tfjs-node';
import type { Rng } from '../../core/rng.js';
import type { BatchTensors } from './batches.js';
import type { ResolvedTrainConfig } from './config.js';
import { GradientTracker } from './diagnostics.js';
import { inferenceStats } from './evaluate.js';
import { createOptimizer, decays, type Param } from './optimizers.js';
import { MASK_LAYERS, seedDropout } from './plan.js';
import { trainStep, type StepContext, type StepStats } from './step.js';

/**
 * Another engine for the steps and evaluation batches of a run: the compiled graph
 * (src/eval/compile), one native call per step. `train` returns [mean loss, correct count]; with
 * `quantizationAware` it runs the fake-quantized step (`train_qat`).
 */
export interface CompiledSteps {
  train(x: Tensor4D, labels: Tensor1D, lr: number, seed: readonly [number, number], quantizationAware?: boolean): ArrayLike<number>;
  evaluate(x: Tensor4D, labels: Tensor1D): ArrayLike<number>;
}

/** How a run steps and evaluates: the eager model with our optimizer, or a compiled graph. */
export type Engine = {
  /** One step; `quantizationAware` only on an engine that has a fake-quantized step (the compiled one). */
  step(batch: BatchTensors, lr: number, dropout: Rng, quantizationAware: boolean): StepStats;
  evaluateBatch(batch: BatchTensors): ArrayLike<number>;
  readonly tracker?: GradientTracker;
  dispose(): void;
};

export function eagerEngine(model: LayersModel, cfg: ResolvedTrainConfig): Engine {
  const params: Param[] = model.trainableWeights.map((w) => ({ variable: w.read() as Variable, decay: decays(w.originalName, cfg.optimizer.decayOn) }));
  const optimizer = createOptimizer(cfg.optimizer, params);
  const tracker = cfg.diagnostics.gradients ? new GradientTracker(model.trainableWeights.map((w) => w.originalName)) : undefined;
  const ctx: StepContext = {
    model, params, optimizer, labelSmoothing: cfg.labelSmoothing, measureNorms: tracker !== undefined,
    ...(cfg.clipNorm === undefined ? {} : { clipNorm: cfg.clipNorm }),
  };
  const dropout = model.layers.filter((l) => MASK_LAYERS.has(l.getClassName()));
  return {
    step: (batch, lr, rng, quantizationAware) => {
      if (quantizationAware) throw new Error('bug: the eager engine has no quantization-aware step');
      seedDropout(dropout, rng);
      return trainStep(ctx, batch, lr);
    },
    evaluateBatch: (batch) => inferenceStats(model, batch),
    ...(tracker === undefined ? {} : { tracker }),
    dispose: () => optimizer.dispose(),
  };
}

export function compiledEngine(compiled: CompiledSteps): Engine {
  return {
    step: (batch, lr, rng, quantizationAware) => {
      const stats = compiled.train(batch.x, batch.labels, lr, [rng.int32(), rng.int32()], quantizationAware);
      return { loss: stats[0] as number, correct: stats[1] as number };
    },
    evaluateBatch: (batch) => compiled.evaluate(batch.x, batch.labels),
    dispose: () => undefined,
  };
}
