/**
 * Inference graphs for post-training quantization (design part 5.2; src/eval/quantize decides what
 * is quantized): the inference pass (inference-pass.ts: every weight a constant, float or quantized,
 * chosen activations fake-quantized) with three signatures: `predict` x → logits, `evaluate` x,
 * labels → stats [loss, correct], and `activations` x → every node's output (after its fake
 * quantization, if any) and the input's, keyed as `activationKeys` says: calibration reads them from
 * the float graph, the tests from all three. The exported form of the same pass, logits only, is
 * frozen.ts's `freezeNetwork`.
 */
import type { ResolvedArch } from '../../space/resolve.js';
import type { CompiledGraph } from './compile.js';
import { inferencePass, type ConstantWeight, type FakeQuantRanges } from './inference-pass.js';
import { correctCount, crossEntropy, pack, placeholder } from './parts.js';
import { savedModelBytes } from './saved-model.js';

export type InferenceGraph = CompiledGraph & {
  /** Output key of the `activations` signature for each node id and INPUT_ID. */
  readonly activationKeys: ReadonlyMap<string, string>;
};

/**
 * Compiles `arch` for inference with `weights` (by `<layer>/<weight>`) as constants, fake-quantizing
 * the input and the outputs of the nodes in `fakeQuant`. Throws naming any weight the network reads
 * that `weights` lacks.
 */
export function compileInference(
  arch: ResolvedArch,
  weights: ReadonlyMap<string, ConstantWeight>,
  fakeQuant: FakeQuantRanges = new Map(),
): InferenceGraph {
  const { e, x, logits, activations: values } = inferencePass(arch, weights, fakeQuant);
  const labels = placeholder(e, 'labels', [-1], 'int32');
  const keys = new Map([...values.keys()].map((id, i) => [id, `a${i}`]));
  // Each through its own Identity: an output may be the input placeholder itself (fed and fetched)
  // or the same tensor as another node's (identity, dropout).
  const activations = e.g.within('activations', () =>
    Object.fromEntries([...values].map(([id, v]) => [keys.get(id) as string, e.unary('Identity', v)])),
  );
  const stats = pack(e, [crossEntropy(e, logits, labels), correctCount(e, logits, labels)]);
  const signatures = {
    predict: { inputs: { x }, outputs: { logits } },
    evaluate: { inputs: { x, labels }, outputs: { stats } },
    activations: { inputs: { x }, outputs: activations },
  };
  return {
    bytes: savedModelBytes(e.g, signatures),
    nodes: e.g.nodes,
    variables: [],
    needsSeed: false,
    nodeCount: e.g.nodes.length,
    signatures: Object.keys(signatures),
    activationKeys: keys,
  };
}
