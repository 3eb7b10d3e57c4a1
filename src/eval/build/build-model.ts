import type { LayersModel } from '@tensorflow/tfjs-node';
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
};

/** A tfjs layer name for a node id: ids like "s1b2/conv1" become "s1b2__conv1". */
function layerName(id: string): string {
  return id.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^input$/, 'input_') || 'node';
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
  for (const { id, node } of arch.nodes) {
    const inputs = node.inputs.map((ref) => tensors.get(ref) as SymbolicTensor);
    const shared = 'weightsOf' in node && node.weightsOf !== undefined ? layers.get(node.weightsOf) : undefined;
    const layer = shared ?? layerFor(node, { name: layerName(id), init: { scheme, seed: rng.int32() } });
    if (layer === undefined) {
      tensors.set(id, inputs[0] as SymbolicTensor);
      continue;
    }
    layers.set(id, layer);
    tensors.set(id, applyLayer(layer, inputs));
  }
  const outputs = arch.outputs.map((id) => tensors.get(id) as SymbolicTensor);
  return tf.model({ inputs: input, outputs: outputs.length === 1 ? (outputs[0] as SymbolicTensor) : outputs, name: layerName(arch.spec.name ?? 'nas') });
}
