/**
 * Inference graphs for post-training quantization (design part 5.2; src/eval/quantize decides what
 * is quantized): the network's forward pass in inference mode with every weight a constant, float
 * or quantized, and chosen activations passed through FakeQuantWithMinMaxArgs (8 bits, TensorFlow's
 * affine nudging: src/eval/quantize/affine.ts computes the same scale and zero point).
 *
 * - An int8 weight is a DT_INT8 constant times its per-channel float32 scales (Cast, Mul): the
 *   SavedModel stores one byte per weight. (TensorFlow's Dequantize takes per-channel ranges with
 *   `axis`, but through min/max ranges that round the scale; Cast and Mul compute exactly q·s, as
 *   the JavaScript reference does.) Grappler's constant folding turns these subgraphs into float
 *   constants when the session first optimises the graph, so the kernels that run are float ones.
 * - An int32 weight (a full-integer bias, quantized at s_in·s_w) is the same with a DT_INT32 constant.
 *
 * Signatures: `predict` x → logits, `evaluate` x, labels → stats [loss, correct], and `activations`
 * x → every node's output (after its fake quantization, if any) and the input's, keyed as
 * `activationKeys` says: calibration reads them from the float graph, the tests from all three.
 *
 * Written here rather than on compile/frozen.ts's compileFrozen: that builds float constants and the
 * logits only, while this needs int8/int32 constants, the per-node hook and every activation out.
 */
import { INPUT_ID } from '../../core/arch.js';
import type { ResolvedArch } from '../../space/resolve.js';
import { layerNames } from '../build/build-model.js';
import type { CompiledGraph } from './compile.js';
import { Emit } from './emit.js';
import { Graph, type Sym } from './graph.js';
import { correctCount, crossEntropy, pack, placeholder } from './parts.js';
import { forward } from './pass.js';
import { savedModelBytes } from './saved-model.js';
import { Variables } from './variables.js';

/** A weight baked into the graph. */
export type ConstantWeight =
  | { readonly kind: 'float'; readonly shape: readonly number[]; readonly data: Float32Array }
  /** q·scales[c], c the last axis. */
  | { readonly kind: 'int8'; readonly shape: readonly number[]; readonly q: Int8Array; readonly scales: Float32Array }
  | { readonly kind: 'int32'; readonly shape: readonly number[]; readonly q: Int32Array; readonly scales: Float32Array };

/** The [min, max] a FakeQuant gets, by node id (INPUT_ID for the network input). */
export type FakeQuantRanges = ReadonlyMap<string, { readonly min: number; readonly max: number }>;

export type InferenceGraph = CompiledGraph & {
  /** Output key of the `activations` signature for each node id and INPUT_ID. */
  readonly activationKeys: ReadonlyMap<string, string>;
};

/**
 * Compiles `arch` for inference with `weights` (by `<layer>/<weight>`) as constants, fake-quantizing
 * the input and the outputs of the nodes in `fakeQuant`. Throws naming any weight the network reads
 * that `weights` lacks.
 */
export function compileInference(arch: ResolvedArch, weights: ReadonlyMap<string, ConstantWeight>, fakeQuant: FakeQuantRanges = new Map()): InferenceGraph {
  if (arch.outputs.length !== 1) throw new Error(`cannot compile a network with ${arch.outputs.length} outputs for inference`);
  const e = new Emit(new Graph());
  const x = placeholder(e, 'x', [-1, ...arch.inputShape]);
  const labels = placeholder(e, 'labels', [-1], 'int32');
  const overrides = new Map<string, Sym>();
  e.g.within('weights', () => {
    for (const [name, w] of weights) overrides.set(name, e.g.within(name, () => constantWeight(e, w)));
  });
  const quantized = (id: string, value: Sym) => {
    const range = fakeQuant.get(id);
    return range === undefined ? value : e.g.within(`${id}_quant`, () => fakeQuantize(e, value, range));
  };
  const values = new Map<string, Sym>([[INPUT_ID, quantized(INPUT_ID, x)]]);
  const afterNode = (id: string, value: Sym): Sym => {
    const out = quantized(id, value);
    values.set(id, out);
    return out;
  };
  const vars = new Variables(e);
  const pass = forward(e, vars, arch, layerNames(arch).byNode, values.get(INPUT_ID) as Sym, { training: false, seed: e.constI([0, 0]), overrides, afterNode });
  if (vars.specs.length > 0) throw new Error(`no value for weights ${vars.specs.map((v) => v.name).join(', ')}`);
  const unknown = [...fakeQuant.keys()].filter((id) => !values.has(id));
  if (unknown.length > 0) throw new Error(`fake quantization of unknown nodes ${unknown.join(', ')}`);
  const keys = new Map([...values.keys()].map((id, i) => [id, `a${i}`]));
  // Each through its own Identity: an output may be the input placeholder itself (fed and fetched)
  // or the same tensor as another node's (identity, dropout).
  const activations = e.g.within('activations', () => Object.fromEntries([...values].map(([id, v]) => [keys.get(id) as string, e.unary('Identity', v)])));
  const stats = pack(e, [crossEntropy(e, pass.logits, labels), correctCount(e, pass.logits, labels)]);
  const signatures = {
    predict: { inputs: { x }, outputs: { logits: pass.logits } },
    evaluate: { inputs: { x, labels }, outputs: { stats } },
    activations: { inputs: { x }, outputs: activations },
  };
  return { bytes: savedModelBytes(e.g, signatures), variables: [], needsSeed: false, nodeCount: e.g.nodes.length, signatures: Object.keys(signatures), activationKeys: keys };
}

function constantWeight(e: Emit, w: ConstantWeight): Sym {
  if (w.kind === 'float') return e.constF(w.data, w.shape);
  const q = e.g.op('Const', [], { dtype: { type: w.kind }, value: { tensor: { dtype: w.kind, shape: w.shape, values: w.q } } }, w.shape, w.kind, 'q');
  return e.mul(e.cast(q, 'float32'), e.constF(w.scales, [w.scales.length]));
}

/** TensorFlow's 8-bit fake quantization (quantize, then dequantize) with a fixed range. */
export function fakeQuantize(e: Emit, x: Sym, range: { readonly min: number; readonly max: number }): Sym {
  return e.g.op('FakeQuantWithMinMaxArgs', [x], { min: { f: range.min }, max: { f: range.max }, num_bits: { i: 8 }, narrow_range: { b: false } }, x.shape);
}
