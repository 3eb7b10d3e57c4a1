/**
 * Gradient checkpointing's segments (design part 5.1): the nodes, in order, cut into K contiguous
 * segments of about equal stored activation. Training keeps only the tensors that cross a cut (and
 * the input); the backward pass recomputes one segment's activations at a time. The compiled
 * training graph (src/eval/compile/checkpoint.ts) and the memory estimate both use this partition.
 */
import { INPUT_ID } from '../../core/arch.js';
import { numel } from '../ops/types.js';
import type { ResolvedArch } from '../resolve.js';

/** `train.checkpointing.segments`: a count, or 'sqrt' for ⌈√N⌉ of the N stored nodes. */
export type SegmentSpec = number | 'sqrt';

export type Segmentation = {
  /** Node ids of each segment, in node order; every node in exactly one. */
  readonly segments: readonly (readonly string[])[];
  /** Per-sample elements kept through the forward pass: the input and every tensor read across a cut. */
  readonly keptElements: number;
  /** Per-sample elements of the largest segment's own activations (alive while it is recomputed). */
  readonly largestSegmentElements: number;
};

/** The number of segments `spec` asks for on `arch`, at least 1 and at most the stored node count. */
export function segmentCount(arch: ResolvedArch, spec: SegmentSpec): number {
  const stored = arch.nodes.filter((n) => !n.alias).length;
  const k = spec === 'sqrt' ? Math.ceil(Math.sqrt(stored)) : spec;
  return Math.max(1, Math.min(k, stored));
}

/** Cuts the nodes into `segmentCount(arch, spec)` segments of about equal stored activation. */
export function segmentation(arch: ResolvedArch, spec: SegmentSpec): Segmentation {
  const k = segmentCount(arch, spec);
  const size = (n: ResolvedArch['nodes'][number]): number => (n.alias ? 0 : numel(n.shape));
  const total = arch.nodes.reduce((s, n) => s + size(n), 0);
  const segmentOf = new Map<string, number>([[INPUT_ID, -1]]);
  const segments: string[][] = [[]];
  let done = 0;
  for (const n of arch.nodes) {
    const current = segments.length - 1;
    // Cut before this node once the current segment holds its share, keeping room for the rest.
    if (segments[current]?.length !== 0 && done >= (total * (current + 1)) / k && segments.length < k)
      segments.push([]);
    const index = segments.length - 1;
    (segments[index] as string[]).push(n.id);
    segmentOf.set(n.id, index);
    done += size(n);
  }
  const buffer = new Map<string, string>([[INPUT_ID, INPUT_ID]]);
  const elements = new Map<string, number>([[INPUT_ID, numel(arch.inputShape)]]);
  for (const n of arch.nodes) {
    const src = n.node.inputs[0];
    buffer.set(n.id, n.alias && src !== undefined ? (buffer.get(src) ?? n.id) : n.id);
    elements.set(n.id, size(n));
  }
  const kept = new Set<string>([INPUT_ID]);
  for (const n of arch.nodes) {
    for (const ref of n.node.inputs) {
      const b = buffer.get(ref) ?? ref;
      if ((segmentOf.get(b) ?? -1) !== segmentOf.get(n.id)) kept.add(b);
    }
  }
  const keptElements = [...kept].reduce((s, b) => s + (elements.get(b) ?? 0), 0);
  const own = segments.map((ids) => ids.reduce((s, id) => s + (kept.has(id) ? 0 : (elements.get(id) ?? 0)), 0));
  return { segments, keptElements, largestSegmentElements: Math.max(0, ...own) };
}

/** Per-sample activation elements stored for the backward pass with checkpointing: kept + the largest recomputed segment. */
export function checkpointedActivationElements(arch: ResolvedArch, spec: SegmentSpec): number {
  const s = segmentation(arch, spec);
  return s.keptElements + s.largestSegmentElements;
}
