import type { MeasuredLatency } from '../commands/estimate/estimate-config.js';
import type { CostReport } from '../../space/cost/index.js';
import { checkpointingText, optimizerLabel, precisionLabel } from './training-setting.js';
import { bytes, int, si, table } from './units.js';

/** The stable `nas estimate --json` shape (snake_case, a contract for scripts). */
export function costJson(report: CostReport, batch: number, measured?: MeasuredLatency): object {
  return {
    params: {
      trainable: report.params.trainable,
      non_trainable: report.params.nonTrainable,
      total: report.params.total,
    },
    macs: report.macs,
    flops: report.flops,
    flops_note:
      'FLOPs = 2 × MACs of convolution and dense layers; other_ops (BatchNorm, activations, pooling, additions) counted apart',
    other_ops: report.otherOps,
    batch,
    training: {
      optimizer: report.training.optimizer,
      optimizer_slots: report.training.optimizerSlots,
      precision: report.training.precision,
    },
    memory: {
      weights: report.memory.weights,
      low_precision_weights: report.memory.lowPrecisionWeights,
      gradients: report.memory.gradients,
      optimizer_state: report.memory.optimizerState,
      train_activations: report.memory.trainActivations,
      inference_activations: report.memory.inferenceActivations,
      train_total: report.memory.trainTotal,
    },
    checkpointing: report.checkpointing
      ? {
          segments: report.checkpointing.spec,
          segment_count: report.checkpointing.segments,
          kept_elements: report.checkpointing.keptElements,
          largest_segment_elements: report.checkpointing.largestSegmentElements,
          recompute_macs: report.checkpointing.recomputeMacs,
          compute_overhead: report.checkpointing.computeOverhead,
        }
      : null,
    latency: {
      estimated_ms: report.latency.estimatedMs,
      peak_flops: report.latency.peakFlops,
      efficiency: report.latency.efficiency,
      ...(measured
        ? {
            measured_ms: measured.batch1Ms,
            measured_batch_ms: measured.batchMs,
            compiled_ms: measured.compiledBatch1Ms,
            compiled_batch_ms: measured.compiledBatchMs,
            measured_peak_flops: measured.peakFlops,
          }
        : {}),
    },
    outputs: report.outputs,
    layers: report.layers.map((l) => ({
      name: l.name,
      op: l.op,
      ...(l.block === undefined ? {} : { block: l.block }),
      output_shape: l.outputShape,
      params: l.params,
      non_trainable_params: l.nonTrainableParams,
      macs: l.macs,
      activation_bytes: l.activationBytes,
    })),
  };
}

/** The per-layer table and the totals, as lines for a terminal. */
export function costLines(report: CostReport, batch: number, measured?: MeasuredLatency): string[] {
  const rows = [
    ['layer', 'op', 'output', 'params', 'MACs', `act. (batch ${batch})`],
    ...report.layers.map((l) => [
      l.name,
      l.op,
      `[${l.outputShape.join(',')}]`,
      int(l.params + l.nonTrainableParams),
      si(l.macs),
      bytes(l.activationBytes),
    ]),
  ];
  const m = report.memory;
  return [
    ...table(rows, new Set([3, 4, 5])),
    '',
    `parameters      ${int(report.params.trainable)} trainable (PyTorch convention), ${int(report.params.total)} total (tfjs countParams, with BatchNorm moving statistics)`,
    `MACs            ${int(report.macs)} (${si(report.macs)}); FLOPs = 2 × MACs = ${si(report.flops)} (convolution and dense; other ops ${si(report.otherOps)} apart)`,
    `training        optimizer: ${optimizerLabel(report.training.optimizer, report.training.optimizerSlots)}; precision: ${precisionLabel(report.training.precision)}`,
    `checkpointing   ${checkpointingText(report, batch)}`,
    `memory          weights ${bytes(m.weights)}${m.lowPrecisionWeights > 0 ? ` + ${report.training.precision} copy ${bytes(m.lowPrecisionWeights)}` : ''}, gradients ${bytes(m.gradients)}, optimizer state ${bytes(m.optimizerState)}`,
    `                training activations at batch ${batch}${report.checkpointing ? ' (checkpointed)' : ''}: ${bytes(m.trainActivations)}; training total ${bytes(m.trainTotal)}`,
    `                peak inference activations (batch 1): ${bytes(m.inferenceActivations)}`,
    `latency         estimated ${report.latency.estimatedMs.toFixed(2)} ms at batch 1 (FLOPs / (${si(report.latency.peakFlops)}FLOP/s × ${report.latency.efficiency}))`,
    ...(measured
      ? [
          `                measured ${measured.batch1Ms.toFixed(2)} ms at batch 1, ${measured.batchMs.toFixed(2)} ms at batch ${measured.batch} (eager tfjs; median after warm-up); machine peak ${si(measured.peakFlops)}FLOP/s`,
          `                compiled ${measured.compiledBatch1Ms.toFixed(2)} ms at batch 1, ${measured.compiledBatchMs.toFixed(2)} ms at batch ${measured.batch} (one TensorFlow graph)`,
        ]
      : []),
  ];
}
