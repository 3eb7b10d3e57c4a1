import type { ArchIssue, Shape } from '../../core/arch.js';
import { ArchError } from '../../core/errors.js';
import { resolveArch, type ResolveOptions, type ResolvedArch } from '../resolve.js';
import { DEFAULT_EFFICIENCY, DEFAULT_PEAK_FLOPS, estimateLatencyMs } from './latency.js';
import { OPTIMIZER_SLOTS, peakInferenceElements, storedActivationElements, type OptimizerName } from './memory.js';
import { layerTable, type LayerRow } from './table.js';

/** What to estimate for: shapes (from the data set), batch, optimizer, precision and hardware. */
export interface CostOptions extends ResolveOptions {
  /** Training batch size (activation memory for training). */
  readonly batch: number;
  /** Batch of one inference (peak inference memory and latency); default 1. */
  readonly inferenceBatch?: number;
  /** Default 'adam' (2 slots). */
  readonly optimizer?: OptimizerName;
  /** Default 4 (FP32). */
  readonly bytesPerElement?: number;
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
  readonly memory: {
    readonly weights: number;
    readonly gradients: number;
    readonly optimizerState: number;
    readonly trainActivations: number;
    readonly inferenceActivations: number;
    /** weights + gradients + optimizer state + training activations. */
    readonly trainTotal: number;
  };
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
  need(o.inferenceBatch === undefined || posInt(o.inferenceBatch), 'inferenceBatch', 'a positive integer', o.inferenceBatch);
  need(o.optimizer === undefined || Object.hasOwn(OPTIMIZER_SLOTS, o.optimizer), 'optimizer', `one of ${Object.keys(OPTIMIZER_SLOTS).join(', ')}`, o.optimizer);
  need(o.bytesPerElement === undefined || pos(o.bytesPerElement), 'bytesPerElement', 'a positive number', o.bytesPerElement);
  need(o.peakFlops === undefined || pos(o.peakFlops), 'peakFlops', 'a positive number', o.peakFlops);
  need(o.efficiency === undefined || (pos(o.efficiency) && o.efficiency <= 1), 'efficiency', 'a number in (0, 1]', o.efficiency);
  return issues;
}

/** Costs of an already resolved architecture. */
export function costOf(arch: ResolvedArch, o: CostOptions): CostReport {
  const bpe = o.bytesPerElement ?? 4;
  const inferenceBatch = o.inferenceBatch ?? 1;
  const sum = (f: (n: ResolvedArch['nodes'][number]) => number): number => arch.nodes.reduce((s, n) => s + f(n), 0);
  const trainable = sum((n) => n.params.trainable);
  const nonTrainable = sum((n) => n.params.nonTrainable);
  const macs = sum((n) => n.macs);
  const memory = {
    weights: (trainable + nonTrainable) * bpe,
    gradients: trainable * bpe,
    optimizerState: OPTIMIZER_SLOTS[o.optimizer ?? 'adam'] * trainable * bpe,
    trainActivations: storedActivationElements(arch) * o.batch * bpe,
    inferenceActivations: peakInferenceElements(arch) * inferenceBatch * bpe,
  };
  const peakFlops = o.peakFlops ?? DEFAULT_PEAK_FLOPS;
  const efficiency = o.efficiency ?? DEFAULT_EFFICIENCY;
  const shapes = new Map<string, Shape>([['input', arch.inputShape], ...arch.nodes.map((n) => [n.id, n.shape] as const)]);
  return {
    params: { trainable, nonTrainable, total: trainable + nonTrainable },
    macs,
    flops: 2 * macs,
    otherOps: sum((n) => n.otherOps),
    memory: { ...memory, trainTotal: memory.weights + memory.gradients + memory.optimizerState + memory.trainActivations },
    latency: { estimatedMs: estimateLatencyMs(2 * macs * inferenceBatch, peakFlops, efficiency), peakFlops, efficiency },
    outputs: arch.outputs.map((id) => ({ id, shape: shapes.get(id) ?? [] })),
    layers: layerTable(arch, o.batch, bpe),
  };
}

/** Validates `spec` and estimates its costs without building anything; throws {@link ArchError} on a bad spec or options. */
export function estimateCost(spec: unknown, o: CostOptions): CostReport {
  const optionIssues = checkOptions(o);
  const { arch, issues } = resolveArch(spec, o);
  if (arch === undefined || optionIssues.length > 0) throw new ArchError([...optionIssues, ...issues]);
  return costOf(arch, o);
}
