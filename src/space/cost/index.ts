export { costOf, estimateCost, type CostOptions, type CostReport } from './estimate.js';
export { DEFAULT_EFFICIENCY, DEFAULT_PEAK_FLOPS, estimateLatencyMs } from './latency.js';
export { OPTIMIZER_SLOTS, peakInferenceElements, storedActivationElements, type OptimizerName } from './memory.js';
export { layerTable, type LayerRow } from './table.js';
