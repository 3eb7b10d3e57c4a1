/**
 * The forward pass of an inference graph (design part 5.2): placeholder `x`, the network in
 * inference mode with every weight a constant (float32, or int8/int32 times float32 scales), and
 * chosen activations passed through FakeQuantWithMinMaxArgs (8 bits, TensorFlow's affine nudging:
 * src/eval/quantize/affine.ts computes the same scale and zero point). The exported frozen graphs
 * (frozen.ts) and the measuring graphs with signatures (quantized.ts) are both built on it, so an
 * exported network computes what was measured.
 *
 * - A float weight is one Const named `weights/<layer>/<weight>` (the tfjs graph model's weight names).
 * - An int8 weight is a DT_INT8 constant times its per-channel float32 scales (Cast, Mul): the
 *   SavedModel stores one byte per weight. (TensorFlow's Dequantize takes per-channel ranges with
 *   `axis`, but through min/max ranges that round the scale; Cast and Mul compute exactly q·s, as
 *   the JavaScript reference does.) Grappler's constant folding turns these subgraphs into float
 *   constants when the session first optimises the graph, so the kernels that run are float ones.
 * - An int32 weight (a full-integer bias, quantized at s_in·s_w) is the same with a DT_INT32 constant.
 */
import { INPUT_ID } from '../../core/arch.js';
import type { ResolvedArch } from '../../space/resolve.js';
import { layerNames } from '../build/build-model.js';
import { Emit } from './emit.js';
import { Graph, type Sym } from './graph.js';
import { placeholder } from './parts.js';
import { forward } from './pass.js';
import { Variables } from './variables.js';

/** A weight baked into the graph. */
export type ConstantWeight =
  | { readonly kind: 'float'; readonly shape: readonly number[]; readonly data: Float32Array }
  /** q·scales[c], c the last axis. */
  | { readonly kind: 'int8'; readonly shape: readonly number[]; readonly q: Int8Array; readonly scales: Float32Array }
  | {
      readonly kind: 'int32';
      readonly shape: readonly number[];
      readonly q: Int32Array;
      readonly scales: Float32Array;
    };

/** The [min, max] a FakeQuant gets, by node id (INPUT_ID for the network input). */
export type FakeQuantRanges = ReadonlyMap<string, { readonly min: number; readonly max: number }>;

export type InferencePass = {
  readonly e: Emit;
  /** Placeholder `x`, float32 [-1, ...inputShape]. */
  readonly x: Sym;
  readonly logits: Sym;
  /** Each weight's value in the graph (its Const, or the Mul that dequantizes it), by `<layer>/<weight>`. */
  readonly weights: ReadonlyMap<string, Sym>;
  /** INPUT_ID's and every node's output after its fake quantization (if any), by node id, in graph order. */
  readonly activations: ReadonlyMap<string, Sym>;
};

/**
 * Builds the inference pass of `arch` with `weights` (by `<layer>/<weight>`) as constants,
 * fake-quantizing the input and the outputs of the nodes in `fakeQuant`. Throws naming any weight the
 * network reads that `weights` lacks, and any fake-quantized node it does not have.
 */
export function inferencePass(
  arch: ResolvedArch,
  weights: ReadonlyMap<string, ConstantWeight>,
  fakeQuant: FakeQuantRanges = new Map(),
): InferencePass {
  if (arch.outputs.length !== 1)
    throw new Error(
      `cannot compile a network with ${arch.outputs.length} outputs (${arch.outputs.join(', ')}) for inference: it has one, logits`,
    );
  const e = new Emit(new Graph());
  const x = placeholder(e, 'x', [-1, ...arch.inputShape]);
  const overrides = new Map<string, Sym>();
  e.g.within('weights', () => {
    for (const [name, w] of weights) overrides.set(name, constantWeight(e, name, w));
  });
  const quantized = (id: string, value: Sym) => {
    const range = fakeQuant.get(id);
    return range === undefined ? value : e.g.within(`${id}_quant`, () => fakeQuantize(e, value, range));
  };
  const activations = new Map<string, Sym>([[INPUT_ID, quantized(INPUT_ID, x)]]);
  const afterNode = (id: string, value: Sym): Sym => {
    const out = quantized(id, value);
    activations.set(id, out);
    return out;
  };
  const vars = new Variables(e);
  const pass = forward(e, vars, arch, layerNames(arch).byNode, activations.get(INPUT_ID) as Sym, {
    training: false,
    seed: e.constI([0, 0]),
    overrides,
    afterNode,
  });
  if (vars.specs.length > 0) throw new Error(`no value for weights ${vars.specs.map((v) => v.name).join(', ')}`);
  const unknown = [...fakeQuant.keys()].filter((id) => !activations.has(id));
  if (unknown.length > 0) throw new Error(`fake quantization of unknown nodes ${unknown.join(', ')}`);
  return { e, x, logits: pass.logits, weights: overrides, activations };
}

function constantWeight(e: Emit, name: string, w: ConstantWeight): Sym {
  if (w.kind === 'float') return e.constF(w.data, w.shape, name);
  return e.g.within(name, () => {
    const q = e.g.op(
      'Const',
      [],
      { dtype: { type: w.kind }, value: { tensor: { dtype: w.kind, shape: w.shape, values: w.q } } },
      w.shape,
      w.kind,
      'q',
    );
    return e.mul(e.cast(q, 'float32'), e.constF(w.scales, [w.scales.length]));
  });
}

/** TensorFlow's 8-bit fake quantization (quantize, then dequantize) with a fixed range. */
export function fakeQuantize(e: Emit, x: Sym, range: { readonly min: number; readonly max: number }): Sym {
  return e.g.op(
    'FakeQuantWithMinMaxArgs',
    [x],
    { min: { f: range.min }, max: { f: range.max }, num_bits: { i: 8 }, narrow_range: { b: false } },
    x.shape,
  );
}
