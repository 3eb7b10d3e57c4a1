/**
 * Reverse-mode differentiation of a graph, op by op, the way TensorFlow's own `tf.gradients` works:
 * walk the nodes between the parameters and the loss backwards, and for each call its op's gradient
 * rule (gradients/), which emits TensorFlow's gradient kernels (Conv2DBackpropInput, ReluGrad, …).
 * Partial gradients reaching one tensor from several consumers are summed with AddN.
 */
import { recomputeSegment, type Recompute } from './checkpoint.js';
import type { Emit } from './emit.js';
import { tensorName, type GraphNode, type Sym } from './graph.js';
import { gradientRule } from './gradients/index.js';

/**
 * The gradients of scalar `y` with respect to each of `xs` (undefined where y does not depend on it).
 * With `recompute` (gradient checkpointing, checkpoint.ts), the rules of a segment's ops read that
 * segment's activations recomputed once its gradients are known, not the first forward's.
 */
export function gradients(e: Emit, y: Sym, xs: readonly Sym[], seed?: Sym, recompute?: Recompute): (Sym | undefined)[] {
  const relevant = between(e.g.nodes, xs, y);
  const partials = new Map<string, Sym[]>();
  const push = (s: Sym, g: Sym) => {
    const list = partials.get(tensorName(s));
    if (list === undefined) partials.set(tensorName(s), [g]);
    else list.push(g);
  };
  const total = (s: Sym): Sym | undefined => {
    const list = partials.get(tensorName(s));
    if (list === undefined) return undefined;
    const sum = e.addN(list);
    partials.set(tensorName(s), [sum]);
    return sum;
  };
  push(y, seed ?? e.scalar(1));
  const copies = new Map<GraphNode, GraphNode>();
  const recomputed = new Set<number>();
  // Recomputes a segment once the gradients reaching it (every partial summed so far) are computed.
  const recomputeFor = (node: GraphNode): void => {
    const segment = recompute?.segmentOf.get(node);
    if (segment === undefined || recomputed.has(segment)) return;
    recomputed.add(segment);
    const nodes = recompute?.segments[segment] ?? [];
    const arrived = nodes.flatMap((n) => n.outputs.map(total)).filter((g): g is Sym => g !== undefined);
    for (const [original, copy] of recomputeSegment(
      e,
      nodes,
      arrived.map((g) => g.node),
    ))
      copies.set(original, copy);
  };
  e.g.within('grad', () => {
    for (let i = e.g.nodes.length - 1; i >= 0; i--) {
      const node = e.g.nodes[i] as GraphNode;
      if (!relevant.has(node)) continue;
      const dys = node.outputs.map(total);
      if (dys.every((d) => d === undefined)) continue;
      recomputeFor(node);
      const rule = gradientRule(node.op);
      const seen = copies.get(node) ?? node;
      const dxs = e.g.within(node.name.split('/').slice(-2).join('_'), () => rule(e, seen, dys));
      node.inputs.forEach((input, j) => {
        const dx = dxs[j];
        if (dx !== undefined && input.dtype === 'float32' && (relevant.has(input.node) || xs.includes(input)))
          push(input, dx);
      });
    }
  });
  return xs.map(total);
}

/** Nodes that depend on one of `xs` through float tensors and that `y` depends on. */
function between(nodes: readonly GraphNode[], xs: readonly Sym[], y: Sym): Set<GraphNode> {
  const sources = new Set(xs.map((x) => x.node));
  const forward = new Set<GraphNode>();
  for (const node of nodes) {
    if (node.inputs.some((s) => s.dtype === 'float32' && (sources.has(s.node) ? xs.includes(s) : forward.has(s.node))))
      forward.add(node);
  }
  const result = new Set<GraphNode>();
  const stack = [y.node];
  const seen = new Set<GraphNode>();
  while (stack.length > 0) {
    const node = stack.pop() as GraphNode;
    if (seen.has(node)) continue;
    seen.add(node);
    if (forward.has(node)) result.add(node);
    for (const input of node.inputs) stack.push(input.node);
  }
  return result;
}
