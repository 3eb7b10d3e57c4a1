import type { LayersModel, Variable } from '@tensorflow/tfjs-node';
import type { Layer, SymbolicTensor } from '@tensorflow/tfjs-layers/dist/engine/topology.js';
import { INPUT_ID } from '../../core/arch.js';
import { Rng } from '../../core/rng.js';
import type { ResolvedArch } from '../../space/resolve.js';
import { loadTf } from '../../backend/tf.js';
import { applyLayer, layerFor } from './primitives.js';

export type BuildOptions = {
  /** Seed of the weight initialisation; one seed, one network. */
  readonly seed: string | number;
  /** He normal (default, for ReLU networks) or Glorot uniform. */
  readonly init?: 'he' | 'glorot';
  /** A supernet's architecture parameters, one [edges, ops] variable per cell, read by its `mix` nodes. */
  readonly alphas?: Readonly<Record<string, Variable>>;
};

/** A tfjs name for an id: ids like "s1b2/conv1" become "s1b2_conv1". */
function layerName(id: string): string {
  return id.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^input$/, 'input_') || 'node';
}

/** A layer name not yet taken: "x/relu" and "x_relu" both map to "x_relu", so the later one gets "x_relu_2". */
function uniqueName(id: string, taken: Set<string>): string {
  const base = layerName(id);
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  taken.add(name);
  return name;
}

/**
 * The tfjs layer name of every node of an architecture, in node order (unique; "input" is taken).
 * The compiled path names its weights `<layer>/<weight>` from the same table, so the two paths'
 * weights correspond by name.
 */
export function layerNames(arch: ResolvedArch): {
  readonly byNode: ReadonlyMap<string, string>;
  readonly taken: Set<string>;
} {
  const taken = new Set<string>(['input']);
  const byNode = new Map(arch.nodes.map(({ id }) => [id, uniqueName(id, taken)]));
  return { byNode, taken };
}

/**
 * Builds the tfjs model (functional API) of a resolved architecture: one layer per primitive node,
 * in its topological order. Nodes with `weightsOf` reuse that node's layer (shared weights).
 */
export function buildModel(arch: ResolvedArch, options: BuildOptions): LayersModel {
  const tf = loadTf();
  const rng = new Rng(options.seed).derive('init');
  const scheme = options.init ?? 'he';
  const input = tf.input({ shape: [...arch.inputShape], name: 'input' });
  const tensors = new Map<string, SymbolicTensor>([[INPUT_ID, input]]);
  const layers = new Map<string, Layer>();
  const uses = new Map<Layer, number>();
  const { byNode, taken } = layerNames(arch);
  for (const { id, node } of arch.nodes) {
    const inputs = distinct(
      node.inputs.map((ref) => tensors.get(ref) as SymbolicTensor),
      id,
      taken,
    );
    const shared = 'weightsOf' in node && node.weightsOf !== undefined ? layers.get(node.weightsOf) : undefined;
    const alphas = options.alphas === undefined ? {} : { alphas: options.alphas };
    const layer =
      shared ?? layerFor(node, { name: byNode.get(id) as string, init: { scheme, seed: rng.int32() }, ...alphas });
    if (layer === undefined) {
      tensors.set(id, inputs[0] as SymbolicTensor);
      continue;
    }
    layers.set(id, layer);
    uses.set(layer, (uses.get(layer) ?? 0) + 1);
    tensors.set(id, applyLayer(layer, inputs));
  }
  const outputs = arch.outputs.map((id) => tensors.get(id) as SymbolicTensor);
  const model = tf.model({
    inputs: input,
    outputs: outputs.length === 1 ? (outputs[0] as SymbolicTensor) : outputs,
    name: layerName(arch.spec.name ?? 'nas'),
  });
  releaseSharedOnDispose(model, uses);
  return model;
}

/**
 * The inputs with each repeat of a tensor passed through a linear activation layer (a copy). tfjs's
 * executor counts a tensor's consumers once per node but releases it once per input, so a node that
 * reads one tensor twice (an NB201 cell whose edges are both skip_connect: add(x, x)) would free it
 * before its other consumers run in inference mode.
 */
function distinct(inputs: readonly SymbolicTensor[], id: string, taken: Set<string>): SymbolicTensor[] {
  const seen = new Set<SymbolicTensor>();
  return inputs.map((t, i) => {
    if (!seen.has(t)) {
      seen.add(t);
      return t;
    }
    return applyLayer(
      loadTf().layers.activation({ activation: 'linear', name: uniqueName(`${id}.repeat${i}`, taken) }),
      [t],
    );
  });
}

/**
 * tfjs counts one reference per application of a layer and model.dispose() releases one, so a layer
 * applied n > 1 times (`weightsOf`) would keep its weights (tfjs#7667); release the other n − 1.
 */
function releaseSharedOnDispose(model: LayersModel, uses: ReadonlyMap<Layer, number>): void {
  const shared = [...uses].filter(([, n]) => n > 1);
  if (shared.length === 0) return;
  const dispose = model.dispose.bind(model);
  model.dispose = () => {
    const result = dispose();
    if (result.refCountAfterDispose !== 0) return result;
    for (const [layer, n] of shared) {
      for (let i = 1; i < n; i++) result.numDisposedVariables += layer.dispose().numDisposedVariables;
    }
    return result;
  };
}
