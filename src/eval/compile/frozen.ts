/**
 * A frozen inference graph (design part 5.2, export): the network's forward pass in inference mode
 * with every weight a Const node instead of a variable, from input placeholder `x` [-1, H, W, C] to
 * an Identity `logits` [-1, classes]. Nothing but what the logits need is kept, so the graph has no
 * variables, no seed and no training ops: TensorFlow's and tfjs's loaders run it as it is.
 */
import type { ResolvedArch } from '../../space/resolve.js';
import type { WeightArray } from '../weights.js';
import type { GraphNode, Sym } from './graph.js';
import { inferencePass, type ConstantWeight, type FakeQuantRanges } from './inference-pass.js';

export type FrozenGraph = {
  /** The nodes the logits depend on, in topological order. */
  readonly nodes: GraphNode[];
  /** Placeholder `x`, float32 [-1, ...inputShape]. */
  readonly input: Sym;
  /** Identity `logits`, float32 [-1, classes]. */
  readonly logits: Sym;
};

/** A frozen graph and where its weights and activations are in it. */
export type FrozenNetwork = FrozenGraph & {
  /** Each weight's value in the graph (a Const `weights/<layer>/<weight>` for a float one), by `<layer>/<weight>`. */
  readonly weights: ReadonlyMap<string, Sym>;
  /** The input's and every node's output, after its fake quantization if it has one, by node id. */
  readonly activations: ReadonlyMap<string, Sym>;
};

/**
 * Compiles `arch` for inference with `weights` (by `<layer>/<weight>`, as `modelWeights` gives them;
 * for a folded model, `foldBatchNorm`'s) baked in as float32 constants. Throws naming any weight the
 * network reads that `weights` lacks.
 */
export function compileFrozen(arch: ResolvedArch, weights: ReadonlyMap<string, WeightArray>): FrozenNetwork {
  const constants = new Map<string, ConstantWeight>(
    [...weights].map(([name, w]) => [name, { kind: 'float', shape: w.shape, data: w.data }]),
  );
  return freezeNetwork(arch, { weights: constants });
}

/**
 * The frozen graph of a network in any quantization form: its constants (float, int8 or int32, as
 * src/eval/quantize's `networkConstants` gives them) and its fake-quantized activations.
 */
export function freezeNetwork(
  arch: ResolvedArch,
  constants: { readonly weights: ReadonlyMap<string, ConstantWeight>; readonly fakeQuant?: FakeQuantRanges },
): FrozenNetwork {
  const pass = inferencePass(arch, constants.weights, constants.fakeQuant);
  const logits = pass.e.g.op(
    'Identity',
    [pass.logits],
    { T: { type: 'float32' } },
    pass.logits.shape,
    'float32',
    'logits',
  );
  return {
    nodes: needed(pass.e.g.nodes, logits.node),
    input: pass.x,
    logits,
    weights: pass.weights,
    activations: pass.activations,
  };
}

/** The nodes `output` depends on (through inputs and control edges), in their original order. */
export function needed(nodes: readonly GraphNode[], output: GraphNode): GraphNode[] {
  const keep = new Set<GraphNode>();
  const stack = [output];
  while (stack.length > 0) {
    const node = stack.pop() as GraphNode;
    if (keep.has(node)) continue;
    keep.add(node);
    for (const input of node.inputs) stack.push(input.node);
    stack.push(...node.control);
  }
  return nodes.filter((n) => keep.has(n));
}
