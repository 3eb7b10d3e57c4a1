/**
 * What trains a DARTS supernet, step by step: the eager engine (tfjs ops through bilevel.ts) or the
 * compiled one (one TensorFlow graph, compiled-engine.ts). Both keep the same state under the same
 * checkpoint names, so a search checkpointed by one resumes on the other.
 */
import type { Variable } from '@tensorflow/tfjs-node';
import type { Json } from '../../core/arch.js';
import { loadTf } from '../../backend/tf.js';
import {
  evaluate,
  trainStep,
  type BatchTensors,
  type EvaluateOptions,
  type Evaluation,
  type IndexedImages,
  type StepContext,
  type StepStats,
} from '../../eval/train/index.js';
import { firstOrderAlphaGrads, secondOrderAlphaGrads } from './bilevel.js';
import type { NamedArray } from '../../eval/checkpoint-file.js';
import type { DartsOptions } from './options.js';
import { disposeState, exportState, importState, type SearchState } from './state.js';
import { alphaWeights } from './supernet.js';

export interface DartsEngine {
  /** One architecture step (the options' order) at the weights' learning rate; the α loss. */
  alphaStep(wBatch: BatchTensors, alphaBatch: BatchTensors, lr: number): number;
  /** One weight step: loss and correct count of the batch. */
  weightStep(batch: BatchTensors, lr: number): StepStats;
  /** Weight steps taken so far (a checkpoint restores it). */
  readonly weightSteps: number;
  validate(part: IndexedImages, options: EvaluateOptions): Evaluation;
  /** softmax(α) of every cell, rows per edge. */
  alphaWeights(): Record<string, number[][]>;
  exportState(epoch: number): { meta: Json; arrays: NamedArray[] };
  /** Loads a checkpoint; returns its epoch. */
  importState(meta: Json, arrays: ReadonlyMap<string, NamedArray>): number;
  dispose(): void;
}

/** DARTS on tfjs ops, one by one (the reference the compiled engine is tested against). */
export function eagerEngine(s: SearchState, o: DartsOptions): DartsEngine {
  const ctx: StepContext = {
    model: s.net.model,
    params: s.weights,
    optimizer: s.wOptimizer,
    labelSmoothing: 0,
    ...(o.clipNorm > 0 ? { clipNorm: o.clipNorm } : {}),
  };
  return {
    alphaStep(wBatch, alphaBatch, lr) {
      const alpha =
        o.order === 'first'
          ? firstOrderAlphaGrads(s.net, s.alphas, alphaBatch)
          : secondOrderAlphaGrads(
              s.net,
              s.weights,
              s.alphas,
              wBatch,
              alphaBatch,
              { xi: lr, momentum: o.momentum, buffers: s.wOptimizer.slots as Variable[], weightDecay: o.weightDecay },
              o.finiteDifference,
            );
      try {
        if (Number.isFinite(alpha.loss)) s.alphaOptimizer.step(alpha.grads, o.alphaLr);
        return alpha.loss;
      } finally {
        loadTf().dispose(alpha.grads);
      }
    },
    weightStep: (batch, lr) => trainStep(ctx, batch, lr),
    get weightSteps() {
      return s.wOptimizer.steps;
    },
    validate: (part, options) => evaluate(s.net.model, part, options),
    alphaWeights: () => alphaWeights(s.net),
    exportState: (epoch) => exportState(s, epoch),
    importState: (meta, arrays) => importState(s, meta, arrays),
    dispose: () => disposeState(s),
  };
}
