// How an exported variant compares with the export's first (reference) variant, from the raw figures.
import type { Variant } from '../commands/export/variants.js';

/** A variant against the reference: null where either figure was not measured. */
export interface VariantChange {
  /** Test accuracy minus the reference's, in percentage points. */
  readonly accuracyPoints: number | null;
  /** Bytes over the reference's bytes. */
  readonly sizeRatio: number | null;
  /** Latency (batch 1) over the reference's latency. */
  readonly latencyRatio: number | null;
}

export function variantChange(reference: Variant, variant: Variant): VariantChange {
  return {
    accuracyPoints:
      variant.accuracy === null || reference.accuracy === null ? null : (variant.accuracy - reference.accuracy) * 100,
    sizeRatio: ratio(variant.bytes, reference.bytes),
    latencyRatio:
      variant.latencyMs === null || reference.latencyMs === null ? null : ratio(variant.latencyMs, reference.latencyMs),
  };
}

function ratio(value: number, reference: number): number | null {
  return reference > 0 ? value / reference : null;
}
