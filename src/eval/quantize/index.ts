/**
 * Post-training quantization (design part 5.2; docs/inference.md, "Quantization"): the tensor math
 * (affine.ts, per-channel.ts), calibration observers (observers/), the network forms
 * (network.ts, activation-plan.ts; the graph: src/eval/compile/quantized.ts) and their measurement;
 * quantization-aware training's plan and learned ranges (qat-plan.ts, qat-ranges.ts; the training
 * graph: src/eval/compile/qat.ts).
 */
export { activationPlan, type ActivationPlan, type ActivationRole } from './activation-plan.js';
export {
  affineParams,
  dequantizeAffine,
  fakeQuantize,
  gridRange,
  INT8,
  quantizeAffine,
  UINT8,
  usableRange,
  type AffineParams,
} from './affine.js';
export { calibrate } from './calibrate.js';
export { calibrateNetwork, type NetworkCalibration } from './calibrate-network.js';
export {
  imageBatches,
  measureQuantization,
  withForm,
  type FormFigures,
  type QuantizationData,
  type QuantizationFigures,
  type QuantizationOptions,
} from './measure.js';
export { integerKernelPlan } from './integer-kernel-plan.js';
export {
  networkConstants,
  parameterBytes,
  quantizeBias,
  quantizedKernels,
  type NetworkConstants,
  type QuantizationMode,
} from './network.js';
export * from './observers/index.js';
export { dequantizePerChannel, quantizePerChannel, type PerChannelWeights } from './per-channel.js';
export { prepareForQuantization, type PreparedNetwork } from './prepare.js';
export { splitSeparable } from './split-separable.js';
export { evaluateFullInteger, type FullIntegerEvaluation } from './full-integer-evaluation.js';
export { qatPlan, type QatActivation, type QatPlan, type QatSite } from './qat-plan.js';
export { QAT_RANGES_FILE, qatRanges, readQatRanges, writeQatRanges } from './qat-ranges.js';
