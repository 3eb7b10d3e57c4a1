/**
 * What gradient checkpointing costs and saves (design part 5.1): the activations kept through the
 * forward pass, and the forward MACs done again in the backward pass. The compiled training graph
 * (src/eval/compile/checkpoint.ts) recomputes every segment, the last included, so the extra work is
 * one more forward pass of all the nodes.
 */
import type { ResolvedArch } from '../resolve.js';
import { segmentation, type SegmentSpec } from './segments.js';

/** A training step's compute in forward passes: the forward, and a backward of about twice its MACs. */
export const FORWARD_PASSES_PER_STEP = 3;

export type CheckpointCost = {
  /** `train.checkpointing.segments` as given. */
  readonly spec: SegmentSpec;
  /** The segment count it gives on this network. */
  readonly segments: number;
  /** Per-sample elements kept through the forward pass (the input and every tensor read across a cut). */
  readonly keptElements: number;
  /** Per-sample elements of the largest segment's own activations, alive while it is recomputed. */
  readonly largestSegmentElements: number;
  /** Per-sample MACs of the recomputed nodes (conv and dense, as `macs`). */
  readonly recomputeMacs: number;
  /** recomputeMacs / (3 × macs): the share added to a training step's compute; 0 without MACs. */
  readonly computeOverhead: number;
};

export function checkpointCost(arch: ResolvedArch, spec: SegmentSpec): CheckpointCost {
  const s = segmentation(arch, spec);
  const macsOf = new Map(arch.nodes.map((n) => [n.id, n.macs]));
  const recomputeMacs = s.segments.flat().reduce((sum, id) => sum + (macsOf.get(id) ?? 0), 0);
  const stepMacs = FORWARD_PASSES_PER_STEP * arch.nodes.reduce((sum, n) => sum + n.macs, 0);
  return {
    spec,
    segments: s.segments.length,
    keptElements: s.keptElements,
    largestSegmentElements: s.largestSegmentElements,
    recomputeMacs,
    computeOverhead: stepMacs === 0 ? 0 : recomputeMacs / stepMacs,
  };
}
