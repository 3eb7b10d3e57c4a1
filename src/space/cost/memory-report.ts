import type { ResolvedArch } from '../resolve.js';
import { peakInferenceElements, storedActivationElements } from './memory.js';
import { OPTIMIZER_SLOTS, type OptimizerName } from './optimizer.js';
import { elementBytes, type Precision } from './precision.js';
import type { CheckpointCost } from './recompute.js';

/** The training setting the memory figures are for. */
export type MemorySetting = {
  readonly batch: number;
  readonly inferenceBatch: number;
  readonly optimizer: OptimizerName;
  readonly precision: Precision;
  /** With gradient checkpointing: its kept and largest-segment elements replace the stored activations. */
  readonly checkpoint?: CheckpointCost;
};

/** Memory in bytes (docs/cost-model.md gives the formulas). */
export type MemoryReport = {
  /** Float32 master weights, BatchNorm statistics included. */
  readonly weights: number;
  /** The 2-byte compute copy of the trainable weights under mixed precision; 0 in fp32. */
  readonly lowPrecisionWeights: number;
  /** Float32 gradients of the trainable weights. */
  readonly gradients: number;
  readonly optimizerState: number;
  readonly trainActivations: number;
  readonly inferenceActivations: number;
  /** weights + low-precision weights + gradients + optimizer state + training activations. */
  readonly trainTotal: number;
};

export function memoryReport(
  arch: ResolvedArch,
  params: { readonly trainable: number; readonly total: number },
  s: MemorySetting,
): MemoryReport {
  const bytes = elementBytes(s.precision);
  const activationElements =
    s.checkpoint === undefined
      ? storedActivationElements(arch)
      : s.checkpoint.keptElements + s.checkpoint.largestSegmentElements;
  const m = {
    weights: params.total * bytes.master,
    lowPrecisionWeights: params.trainable * bytes.weightCopy,
    gradients: params.trainable * bytes.master,
    optimizerState: OPTIMIZER_SLOTS[s.optimizer] * params.trainable * bytes.master,
    trainActivations: activationElements * s.batch * bytes.activation,
    inferenceActivations: peakInferenceElements(arch) * s.inferenceBatch * bytes.activation,
  };
  return { ...m, trainTotal: m.weights + m.lowPrecisionWeights + m.gradients + m.optimizerState + m.trainActivations };
}
