import type { ArchIssue, Shape } from '../../core/arch.js';
import { ArchError } from '../../core/errors.js';
import { resolveArch, type ResolveOptions, type ResolvedArch } from '../resolve.js';
import { DEFAULT_EFFICIENCY, DEFAULT_PEAK_FLOPS, estimateLatencyMs } from './latency.js';
import { memoryReport, type MemoryReport } from './memory-report.js';
import { OPTIMIZER_SLOTS, type OptimizerName } from './optimizer.js';
import { elementBytes, PRECISIONS, type Precision } from './precision.js';
import { checkpointCost, type CheckpointCost } from './recompute.js';
import type { SegmentSpec } from './segments.js';
import { layerTable, type LayerRow } from './table.js';

/** What to estimate for: shapes (from the data set), batch, optimizer, precision, checkpointing and hardware. */
export interface CostOptions extends ResolveOptions {
  /** Training batch size (activation memory for training). */
  readonly batch: number;
  /** Batch of one inference (peak inference memory and latency); default 1. */
  readonly inferenceBatch?: number;
  /** Default 'momentum' (1 slot), as the default training optimizer (SGD, momentum 0.9). */
  readonly optimizer?: OptimizerName;
  /** Default 'fp32'; 'bf16' and 'fp16' are mixed precision. */
  readonly precision?: Precision;
  /** Gradient checkpointing's segments (`train.checkpointing.segments`); default none. */
  readonly segments?: SegmentSpec;
  /** Hardware peak FLOP/s; default 1e11. */
  readonly peakFlops?: number;
  /** Fraction of the peak reached; default 0.15 (CPU). */
  readonly efficiency?: number;
}

/** The cost model's answer. Bytes for memory; MACs of conv + dense only (other ops apart). */
export interface CostReport {
  readonly params: { readonly trainable: number; readonly nonTrainable: number; readonly total: number };
  readonly macs: number;
  /** 2 × MACs. */
  readonly flops: number;
  /** Element-wise, pooling and normalisation operations, not in MACs / FLOPs. */
  readonly otherOps: number;
  readonly memory: MemoryReport;
  /** The training setting the memory figures assume. */
  readonly training: {
    readonly optimizer: OptimizerName;
    readonly optimizerSlots: number;
    readonly precision: Precision;
  };
  /** With gradient checkpointing: what it keeps and what it recomputes. */
  readonly checkpointing?: CheckpointCost;
  readonly latency: { readonly estimatedMs: number; readonly peakFlops: number; readonly efficiency: number };
  readonly outputs: readonly { readonly id: string; readonly shape: Shape }[];
  readonly layers: readonly LayerRow[];
}

function checkOptions(o: CostOptions): ArchIssue[] {
  const issues: ArchIssue[] = [];
  const need = (ok: boolean, path: string, expected: string, got: unknown): void => {
    if (!ok) issues.push({ path: `options.${path}`, message: `expected ${expected}, got ${JSON.stringify(got)}` });
  };
  const posInt = (v: unknown): boolean => Number.isInteger(v) && (v as number) > 0;
  const pos = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v > 0;
  need(posInt(o.batch), 'batch', 'a positive integer', o.batch);
  need(
    o.inferenceBatch === undefined || posInt(o.inferenceBatch),
    'inferenceBatch',
    'a positive integer',
    o.inferenceBatch,
  );
  need(
    o.optimizer === undefined || Object.hasOwn(OPTIMIZER_SLOTS, o.optimizer),
    'optimizer',
    `one of ${Object.keys(OPTIMIZER_SLOTS).join(', ')}`,
    o.optimizer,
  );
  need(
    o.precision === undefined || PRECISIONS.includes(o.precision),
    'precision',
    `one of ${PRECISIONS.join(', ')}`,
    o.precision,
  );
  need(
    o.segments === undefined || o.segments === 'sqrt' || posInt(o.segments),
    'segments',
    "a positive integer or 'sqrt'",
    o.segments,
  );
  need(o.peakFlops === undefined || pos(o.peakFlops), 'peakFlops', 'a positive number', o.peakFlops);
  need(
    o.efficiency === undefined || (pos(o.efficiency) && o.efficiency <= 1),
    'efficiency',
    'a number in (0, 1]',
    o.efficiency,
  );
  return issues;
}

/** Costs of an already resolved architecture. */
export function costOf(arch: ResolvedArch, o: CostOptions): CostReport {
  const inferenceBatch = o.inferenceBatch ?? 1;
  const optimizer = o.optimizer ?? 'momentum';
  const precision = o.precision ?? 'fp32';
  const sum = (f: (n: ResolvedArch['nodes'][number]) => number): number => arch.nodes.reduce((s, n) => s + f(n), 0);
  const trainable = sum((n) => n.params.trainable);
  const nonTrainable = sum((n) => n.params.nonTrainable);
  const params = { trainable, nonTrainable, total: trainable + nonTrainable };
  const macs = sum((n) => n.macs);
  const checkpointing = o.segments === undefined ? undefined : checkpointCost(arch, o.segments);
  const memory = memoryReport(arch, params, {
    batch: o.batch,
    inferenceBatch,
    optimizer,
    precision,
    ...(checkpointing ? { checkpoint: checkpointing } : {}),
  });
  const peakFlops = o.peakFlops ?? DEFAULT_PEAK_FLOPS;
  const efficiency = o.efficiency ?? DEFAULT_EFFICIENCY;
  const shapes = new Map<string, Shape>([
    ['input', arch.inputShape],
    ...arch.nodes.map((n) => [n.id, n.shape] as const),
  ]);
  return {
    params,
    macs,
    flops: 2 * macs,
    otherOps: sum((n) => n.otherOps),
    memory,
    training: { optimizer, optimizerSlots: OPTIMIZER_SLOTS[optimizer], precision },
    ...(checkpointing ? { checkpointing } : {}),
    latency: {
      estimatedMs: estimateLatencyMs(2 * macs * inferenceBatch, peakFlops, efficiency),
      peakFlops,
      efficiency,
    },
    outputs: arch.outputs.map((id) => ({ id, shape: shapes.get(id) ?? [] })),
    layers: layerTable(arch, o.batch, elementBytes(precision).activation),
  };
}

/** Validates `spec` and estimates its costs without building anything; throws {@link ArchError} on a bad spec or options. */
export function estimateCost(spec: unknown, o: CostOptions): CostReport {
  const optionIssues = checkOptions(o);
  const { arch, issues } = resolveArch(spec, o);
  if (arch === undefined || optionIssues.length > 0) throw new ArchError([...optionIssues, ...issues]);
  return costOf(arch, o);
}
