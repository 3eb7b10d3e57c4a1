// The design document's part 7 estimates, as the design writes them, to set beside the cost model's.
import { DEFAULT_PEAK_FLOPS, estimateLatencyMs, storedActivationElements } from '../../space/cost/index.js';
import type { ResolvedArch } from '../../space/resolve.js';

/** Bytes per value: part 7's formula counts everything in fp32. */
export const FP32_BYTES = 4;
/** Part 7's efficiency range on a CPU (GPU: 0.3–0.5). */
export const CPU_EFFICIENCY = { low: 0.1, high: 0.2 } as const;

/**
 * total memory ≈ 4 × (activation size × batch) + 2 × params (weights and gradients), read in bytes
 * with 4 bytes per value: 4 · (A · B + 2 · P), A the per-sample values stored for the backward pass
 * (the input and every op output, as the cost model counts them), P the trainable parameters.
 */
export interface Part7Memory {
  readonly activationElements: number;
  readonly batch: number;
  readonly params: number;
  readonly bytes: number;
}

export function part7Memory(arch: ResolvedArch, batch: number, params: number): Part7Memory {
  const activationElements = storedActivationElements(arch);
  return { activationElements, batch, params, bytes: FP32_BYTES * (activationElements * batch + 2 * params) };
}

/** inference time ≈ Σ layer FLOPs / (hardware FLOPS × efficiency), at batch 1 over the CPU range of efficiency. */
export interface Part7Latency {
  readonly flops: number;
  readonly peakFlops: number;
  /** At efficiency 0.2 and 0.1. */
  readonly fastMs: number;
  readonly slowMs: number;
}

export function part7Latency(flops: number, peakFlops = DEFAULT_PEAK_FLOPS): Part7Latency {
  return {
    flops,
    peakFlops,
    fastMs: estimateLatencyMs(flops, peakFlops, CPU_EFFICIENCY.high),
    slowMs: estimateLatencyMs(flops, peakFlops, CPU_EFFICIENCY.low),
  };
}
