import { elementBytes, type CostReport, type OptimizerName, type Precision } from '../../space/cost/index.js';
import { bytes, si } from './units.js';

const OPTIMIZER_LABELS: Readonly<Record<OptimizerName, string>> = {
  sgd: 'sgd, no momentum',
  momentum: 'sgd, momentum',
  adam: 'adam',
  adamw: 'adamw',
};

/** "sgd, momentum (1 slot)": the optimizer the memory figures assume, with its state slots. */
export function optimizerLabel(name: OptimizerName, slots: number): string {
  return `${OPTIMIZER_LABELS[name]} (${slots} slot${slots === 1 ? '' : 's'})`;
}

/** "fp32", or "bf16 mixed (…)" with what stays in float32. */
export function precisionLabel(precision: Precision): string {
  return precision === 'fp32'
    ? 'fp32'
    : `${precision} mixed (float32 master weights, gradients and optimizer state; ${precision} weight copy and activations)`;
}

/** The checkpointing line's text: segments, kept and recomputed activations, the recompute cost. */
export function checkpointingText(report: CostReport, batch: number): string {
  const c = report.checkpointing;
  if (c === undefined) return 'none (every activation stored for the backward pass)';
  const atBatch = (elements: number): string =>
    bytes(elements * batch * elementBytes(report.training.precision).activation);
  const spec =
    c.spec === 'sqrt' ? `sqrt → ${c.segments}` : `${c.spec}${c.segments === c.spec ? '' : ` → ${c.segments}`}`;
  return (
    `${spec} segment${c.segments === 1 ? '' : 's'}: kept ${atBatch(c.keptElements)} + largest segment ${atBatch(c.largestSegmentElements)} at batch ${batch}; ` +
    `recomputes ${si(c.recomputeMacs)} MACs per sample: +${Math.round(c.computeOverhead * 100)}% compute (a training step ≈ 3 forward passes)`
  );
}
