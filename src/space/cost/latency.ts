/** Default peak throughput: 100 GFLOPS, a multi-core desktop CPU in FP32. */
export const DEFAULT_PEAK_FLOPS = 1e11;
/** Default efficiency: 0.15, the middle of the design's CPU range (0.1–0.2; GPU 0.3–0.5). */
export const DEFAULT_EFFICIENCY = 0.15;

/** Latency estimate of part 7: Σ FLOPs / (peak FLOPS × efficiency), in milliseconds. */
export function estimateLatencyMs(flops: number, peakFlops: number, efficiency: number): number {
  return (flops / (peakFlops * efficiency)) * 1000;
}
