/**
 * Post-training quantization (design part 5.2; docs/inference.md, "Quantization"): the tensor math
 * (affine.ts, per-channel.ts), calibration observers (observers/), the network forms
 * (network.ts, activation-plan.ts; the graph: src/eval/compile/quantized.ts) and their measurement.
 */
export { activationPlan, type ActivationPlan, type ActivationRole } from './activation-plan.js';
export { affineParams, dequantizeAffine, fakeQuantize, gridRange, INT8, quantizeAffine, UINT8, usableRange, type AffineParams } from './affine.js';
export { calibrate } from './calibrate.js';
export { imageBatches, measureQuantization, withForm, type FormFigures, type QuantizationData, type QuantizationFigures, type QuantizationOptions } from './measure.js';
export { networkConstants, parameterBytes, quantizeBias, quantizedKernels, type NetworkConstants, type QuantizationMode } from './network.js';
export * from './observers/index.js';
export { dequantizePerChannel, quantizePerChannel, type PerChannelWeights } from './per-channel.js';
export { prepareForQuantization, type PreparedNetwork } from './prepare.js';
export { splitSeparable } from './split-separable.js';
