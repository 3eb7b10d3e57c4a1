/**
 * A frozen inference graph (design part 5.2, export): the network's forward pass in inference mode
 * with every weight a Const node instead of a variable, from input placeholder `x` [-1, H, W, C] to
 * an Identity `logits` [-1, classes]. Nothing but what the logits need is kept, so the graph has no
 * variables, no seed and no training ops: TensorFlow's and tfjs's loaders run it as it is.
 */
import type { ResolvedArch } from '../../space/resolve.js';
import { layerNames } from '../build/build-model.js';
import type { WeightArray } from '../weights.js';
import { Emit } from './emit.js';
import { Graph, type GraphNode, type Sym } from './graph.js';
import { placeholder } from './parts.js';
import { forward } from './pass.js';
import { Variables } from './variables.js';

export type FrozenGraph = {
  /** The nodes the logits depend on, in topological order. */
  readonly nodes: GraphNode[];
  /** Placeholder `x`, float32 [-1, ...inputShape]. */
  readonly input: Sym;
  /** Identity `logits`, float32 [-1, classes]. */
  readonly logits: Sym;
};

/**
 * Compiles `arch` for inference with `weights` (by `<layer>/<weight>`, as `modelWeights` gives them;
 * for a folded model, `foldBatchNorm`'s) baked in as constants. Throws naming any weight the network
 * reads that `weights` lacks.
 */
export function compileFrozen(arch: ResolvedArch, weights: ReadonlyMap<string, WeightArray>): FrozenGraph {
  if (arch.outputs.length !== 1) throw new Error(`cannot freeze a network with ${arch.outputs.length} outputs (${arch.outputs.join(', ')}): the export has one, logits`);
  const e = new Emit(new Graph());
  const x = placeholder(e, 'x', [-1, ...arch.inputShape]);
  const overrides = new Map<string, Sym>();
  e.g.within('weights', () => {
    for (const [name, w] of weights) overrides.set(name, e.constF(w.data, w.shape, name));
  });
  const vars = new Variables(e);
  const pass = forward(e, vars, arch, layerNames(arch).byNode, x, { training: false, seed: e.constI([0, 0]), overrides });
  if (vars.specs.length > 0) throw new Error(`cannot freeze the network: no value for weights ${vars.specs.map((v) => v.name).join(', ')}`);
  const logits = e.g.op('Identity', [pass.logits], { T: { type: 'float32' } }, pass.logits.shape, 'float32', 'logits');
  return { nodes: needed(e.g.nodes, logits.node), input: x, logits };
}

/** The nodes `output` depends on (through inputs and control edges), in their original order. */
function needed(nodes: readonly GraphNode[], output: GraphNode): GraphNode[] {
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
