export { costOf, estimateCost, type CostOptions, type CostReport } from './estimate.js';
export { DEFAULT_EFFICIENCY, DEFAULT_PEAK_FLOPS, estimateLatencyMs } from './latency.js';
export { peakInferenceElements, storedActivationElements } from './memory.js';
export { memoryReport, type MemoryReport, type MemorySetting } from './memory-report.js';
export { OPTIMIZER_SLOTS, optimizerName, type OptimizerName, type TrainOptimizer } from './optimizer.js';
export { elementBytes, PRECISIONS, type ElementBytes, type Precision } from './precision.js';
export { checkpointCost, FORWARD_PASSES_PER_STEP, type CheckpointCost } from './recompute.js';
export {
  checkpointedActivationElements,
  segmentation,
  segmentCount,
  type SegmentSpec,
  type Segmentation,
} from './segments.js';
export { layerTable, type LayerRow } from './table.js';
