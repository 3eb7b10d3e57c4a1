/**
 * Reverse-mode differentiation of a graph, op by op, the way TensorFlow's own `tf.gradients` works:
 * walk the nodes between the parameters and the loss backwards, and for each call its op's gradient
 * rule (gradients/), which emits TensorFlow's gradient kernels (Conv2DBackpropInput, ReluGrad, …).
 * Partial gradients reaching one tensor from several consumers are summed with AddN.
 */
import type { Emit } from './emit.js';
import { tensorName, type GraphNode, type Sym } from './graph.js';
import { gradientRule } from './gradients/index.js';

/** The gradients of scalar `y` with respect to each of `xs` (undefined where y does not depend on it). */
export function gradients(e: Emit, y: Sym, xs: readonly Sym[], seed?: Sym): (Sym | undefined)[] {
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
  e.g.within('grad', () => {
    for (let i = e.g.nodes.length - 1; i >= 0; i--) {
      const node = e.g.nodes[i] as GraphNode;
      if (!relevant.has(node)) continue;
      const dys = node.outputs.map(total);
      if (dys.every((d) => d === undefined)) continue;
      const rule = gradientRule(node.op);
      const dxs = e.g.within(node.name.split('/').slice(-2).join('_'), () => rule(e, node, dys));
      node.inputs.forEach((input, j) => {
        const dx = dxs[j];
        if (dx !== undefined && input.dtype === 'float32' && (relevant.has(input.node) || xs.includes(input))) push(input, dx);
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
    if (node.inputs.some((s) => s.dtype === 'float32' && (sources.has(s.node) ? xs.includes(s) : forward.has(s.node)))) forward.add(node);
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
