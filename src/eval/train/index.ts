export {
  BatchBuffer,
  epochOrder,
  subsetOf,
  type BatchTensors,
  type BatchTransform,
  type IndexedImages,
  type TrainData,
} from './batches.js';
export { clipCoefficient, globalNorm } from './clip.js';
export {
  DEFAULT_QAT_MOMENTUM,
  resolveTrainConfig,
  type QatConfig,
  type ResolvedQat,
  type ResolvedTrainConfig,
  type TrainConfig,
} from './config.js';
export {
  activationFigures,
  DiagnosticsRecorder,
  PROBE_FIGURES,
  type CheckFigures,
  type CheckRequest,
} from './diagnostics.js';
export {
  DEFAULT_EVERY,
  DEFAULT_THRESHOLDS,
  HISTOGRAM_BINS,
  type DiagnosticsConfig,
  type DiagnosticThresholds,
  type ResolvedDiagnostics,
} from './diagnostics-config.js';
export { flagsOf, FlagWatcher } from './diagnostic-flags.js';
export { modelProbePoints, probePoints, type ProbePoint } from './probes.js';
export { DiagnosticsStopError, DivergedError, TrainConfigError } from './errors.js';
export { evaluate, evaluateBatches, inferenceStats, type Evaluation, type EvaluateOptions } from './evaluate.js';
export { correctCount, softmaxCrossEntropy } from './loss.js';
export { type CompiledSteps } from './engines.js';
export { train } from './loop.js';
export type { TrainEngineOptions, TrainHooks, TrainProgress, TrainResult, TrainSpan } from './run-options.js';
export { readTrainState, writeTrainState, type TrainState } from './train-state.js';
export {
  createOptimizer,
  decays,
  withOptimizerDefaults,
  type DecayOn,
  type Optimizer,
  type OptimizerConfig,
  type Param,
  type ResolvedOptimizer,
} from './optimizers.js';
export {
  cosineAnnealing,
  lrAt,
  toStepSchedule,
  withScheduleDefaults,
  type ScheduleConfig,
  type StepSchedule,
} from './schedule.js';
export { trainStep, type StepContext, type StepMeasure, type StepStats } from './step.js';
