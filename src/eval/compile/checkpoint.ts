/**
 * Gradient checkpointing in the compiled training graph (design part 5.1). The network's nodes are
 * cut into segments (src/space/cost/segments.ts); in the backward pass each segment's forward ops
 * are emitted again, after the gradient reaching the segment has been computed (a control edge), and
 * the gradient rules read the recomputed tensors. The first forward's activations inside a segment
 * then have no reader after the forward, so TensorFlow's executor frees them: only the tensors read
 * across a cut stay alive until the backward pass, plus one segment's activations at a time.
 */
import type { ResolvedArch } from '../../space/resolve.js';
import { segmentation, type SegmentSpec } from '../../space/cost/segments.js';
import type { Emit } from './emit.js';
import type { GraphNode, Sym } from './graph.js';
import type { Pass } from './pass.js';

/** The forward ops of each segment that compute activations (not weight reads or constants). */
export type Recompute = {
  readonly segments: readonly (readonly GraphNode[])[];
  readonly segmentOf: ReadonlyMap<GraphNode, number>;
};

/** The recompute plan of a forward pass over input `x` cut into `spec` segments. */
export function recomputePlan(e: Emit, arch: ResolvedArch, pass: Pass, x: Sym, spec: SegmentSpec): Recompute {
  const activation = new Set<GraphNode>();
  const isActivation = (s: Sym): boolean => s === x || activation.has(s.node);
  const segments = segmentation(arch, spec).segments.map((ids) => {
    const nodes: GraphNode[] = [];
    for (const id of ids) {
      const span = pass.spans.get(id);
      if (span === undefined) throw new Error(`node ${id} has no ops in the forward pass`);
      for (const node of e.g.nodes.slice(span.start, span.end)) {
        if (!node.inputs.some(isActivation)) continue;
        activation.add(node);
        nodes.push(node);
      }
    }
    return nodes;
  });
  const segmentOf = new Map<GraphNode, number>();
  segments.forEach((nodes, i) => nodes.forEach((node) => segmentOf.set(node, i)));
  return { segments, segmentOf };
}

/**
 * Emits a segment's ops again, each reading the copies of its in-segment inputs; the first ops wait
 * for `after` (the gradients reaching the segment). Returns each original node's copy.
 */
export function recomputeSegment(
  e: Emit,
  nodes: readonly GraphNode[],
  after: readonly GraphNode[],
): Map<GraphNode, GraphNode> {
  const copies = new Map<GraphNode, GraphNode>();
  const read = (s: Sym): Sym => copies.get(s.node)?.outputs[s.index] ?? s;
  for (const node of nodes) {
    const inputs = node.inputs.map(read);
    const root = node.inputs.every((s) => !copies.has(s.node));
    const copy = e.g.add(
      node.op,
      inputs,
      node.attrs,
      node.outputs.map((o) => ({ shape: o.shape, dtype: o.dtype })),
      {
        name: `recompute/${node.name.split('/').slice(-2).join('_')}`,
        control: root ? [...node.control, ...after] : node.control,
      },
    );
    copies.set(node, copy);
  }
  return copies;
}
