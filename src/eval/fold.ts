/**
 * Layer fusion (design part 5.2): an inference-mode BatchNorm is an affine map per channel, so it
 * folds into the linear layer before it. With s = γ / √(σ² + ε), the producer's kernel is scaled by
 * s along its output channels (for sepconv the pointwise kernel) and its bias becomes
 * (bias − μ)·s + β; the BN node disappears. docs/inference.md has the conditions and measurements.
 */
import { INPUT_ID, type ArchSpec, type PrimitiveNode } from '../core/arch.js';
import type { ResolvedArch, ResolvedNode } from '../space/resolve.js';
import { assertArch } from '../space/validate.js';
import { layerNames } from './build/build-model.js';
import type { WeightArray } from './weights.js';

export type { WeightArray } from './weights.js';
export { modelWeights, setModelWeights } from './weights.js';

export type FoldResult = {
  readonly arch: ResolvedArch;
  /** Every weight of the folded arch's layers, keyed by its layer names; no BN weights of folded nodes. */
  readonly weights: ReadonlyMap<string, WeightArray>;
  /** The folded pairs, by their ids in the original arch. */
  readonly folded: readonly { readonly bn: string; readonly into: string }[];
  /**
   * The id in the folded arch of every node of the original one that remains. Ids stay, except those
   * of block parts (`<block>/<part>`), which a spec cannot hold: they become their tfjs layer name.
   */
  readonly ids: ReadonlyMap<string, string>;
};

const PRODUCERS: ReadonlySet<string> = new Set(['conv', 'dwconv', 'sepconv', 'dense']);

/**
 * Folds every BatchNorm whose input is a conv, dwconv, sepconv or dense node read by nothing else
 * (no other node, not an output), neither sharing another node's weights (`weightsOf`) nor shared by
 * one, and the BNs of a chain producer → BN → BN… read by nothing else in between. The producer
 * gets a bias; the BN's readers (and the outputs) read the producer instead.
 * `weights` are the model's by `originalName` (modelWeights); the result's are the folded model's.
 * Computed in float64, stored as float32.
 */
export function foldBatchNorm(arch: ResolvedArch, weights: ReadonlyMap<string, WeightArray>): FoldResult {
  const structure = foldedStructure(arch);
  const pairs = new Map(structure.folded.map(({ bn, into }) => [bn, into]));
  return { ...structure, weights: foldedWeights(arch, structure.arch, structure.ids, pairs, weights) };
}

/**
 * The folded architecture, pairs and ids of {@link foldBatchNorm} without the weights: which BNs fold
 * depends on the graph only (quantization-aware training plans its fake quantization on it).
 */
export function foldedStructure(arch: ResolvedArch): Omit<FoldResult, 'weights'> {
  const pairs = foldablePairs(arch);
  const producers = new Set(pairs.values());
  const ids = newIds(arch, new Set(pairs.keys()));
  const ref = (r: string): string => (r === INPUT_ID ? r : (ids.get(pairs.get(r) ?? r) as string));
  const nodes = arch.nodes
    .filter(({ id }) => !pairs.has(id))
    .map(({ id, node }): PrimitiveNode => {
      const renamed = { ...node, id: ref(id), inputs: node.inputs.map(ref) } as PrimitiveNode;
      if ('weightsOf' in renamed && renamed.weightsOf !== undefined)
        return { ...renamed, weightsOf: ref(renamed.weightsOf) };
      return producers.has(id) ? ({ ...renamed, bias: true } as PrimitiveNode) : renamed;
    });
  const outputs = arch.outputs.map(ref);
  const spec: ArchSpec = {
    version: 1,
    ...(arch.spec.name === undefined ? {} : { name: arch.spec.name }),
    nodes,
    output: outputs.length === 1 ? (outputs[0] as string) : outputs,
  };
  return {
    arch: assertArch(spec, { inputShape: arch.inputShape }),
    folded: [...pairs].map(([bn, producer]) => ({ bn, into: producer })),
    ids,
  };
}

/**
 * BN id → producer id, for every BN that folds. In execution order, so a chain producer → BN → BN
 * folds whole: once the first BN folds, the second reads the producer.
 */
function foldablePairs(arch: ResolvedArch): Map<string, string> {
  const reads = new Map<string, number>();
  const shared = new Set<string>();
  const count = (id: string) => reads.set(id, (reads.get(id) ?? 0) + 1);
  for (const { node } of arch.nodes) {
    node.inputs.forEach(count);
    if ('weightsOf' in node && node.weightsOf !== undefined) shared.add(node.weightsOf);
  }
  arch.outputs.forEach(count);
  const byId = new Map(arch.nodes.map((n) => [n.id, n]));
  const pairs = new Map<string, string>();
  for (const { id, node } of arch.nodes) {
    const input = node.inputs[0] as string;
    const target = pairs.get(input) ?? input;
    const producer = byId.get(target)?.node;
    if (node.op !== 'bn' || producer === undefined || !PRODUCERS.has(producer.op) || reads.get(input) !== 1) continue;
    if (shared.has(target) || ('weightsOf' in producer && producer.weightsOf !== undefined)) continue;
    pairs.set(id, target);
  }
  return pairs;
}

/** Old id → id in the folded spec: unchanged, or for `<block>/<part>` its layer name (made unique). */
function newIds(arch: ResolvedArch, removed: ReadonlySet<string>): Map<string, string> {
  const names = layerNames(arch).byNode;
  const used = new Set(arch.nodes.map(({ id }) => id).filter((id) => !id.includes('/')));
  const ids = new Map<string, string>();
  for (const { id } of arch.nodes) {
    if (removed.has(id)) continue;
    if (!id.includes('/')) {
      ids.set(id, id);
      continue;
    }
    const base = names.get(id) as string;
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    ids.set(id, name);
  }
  return ids;
}

/** The weights grouped by layer name: `<layer>/<weight>` (layer names hold no "/"). */
function byLayer(weights: ReadonlyMap<string, WeightArray>): Map<string, Map<string, WeightArray>> {
  const layers = new Map<string, Map<string, WeightArray>>();
  for (const [key, value] of weights) {
    const slash = key.indexOf('/');
    if (slash < 0) throw new Error(`weight "${key}" is not named <layer>/<weight>`);
    const layer = key.slice(0, slash);
    if (!layers.has(layer)) layers.set(layer, new Map());
    layers.get(layer)?.set(key.slice(slash + 1), value);
  }
  return layers;
}

function foldedWeights(
  arch: ResolvedArch,
  folded: ResolvedArch,
  ids: ReadonlyMap<string, string>,
  pairs: ReadonlyMap<string, string>,
  weights: ReadonlyMap<string, WeightArray>,
): Map<string, WeightArray> {
  const oldNames = layerNames(arch).byNode;
  const newNames = layerNames(folded).byNode;
  const layers = byLayer(weights);
  const known = new Set(oldNames.values());
  for (const layer of layers.keys())
    if (!known.has(layer)) throw new Error(`weights of layer "${layer}" belong to no node of the architecture`);
  const bnsOf = new Map<string, string[]>();
  for (const [bn, producer] of pairs) bnsOf.set(producer, [...(bnsOf.get(producer) ?? []), bn]);
  const byId = new Map(arch.nodes.map((n) => [n.id, n]));
  const get = (id: string, name: string) => layers.get(oldNames.get(id) as string)?.get(name);
  const out = new Map<string, WeightArray>();
  for (const { id, node } of arch.nodes) {
    const newId = ids.get(id);
    if (newId === undefined) continue;
    const own = new Map(layers.get(oldNames.get(id) as string) ?? []);
    const bns = bnsOf.get(id);
    if (bns !== undefined) {
      const kernelName = node.op === 'sepconv' ? 'pointwise_kernel' : 'kernel';
      const kernel = own.get(kernelName);
      if (kernel === undefined) throw new Error(`cannot fold "${bns[0]}" into "${id}": missing weight ${kernelName}`);
      const stats = bns.map((bn) => bnStats(bn, (byId.get(bn) as ResolvedNode).node, (name) => get(bn, name)));
      const result = foldInto(kernel, own.get('bias'), stats);
      own.set(kernelName, result.kernel);
      own.set('bias', result.bias);
    }
    const name = newNames.get(newId) as string;
    for (const [weight, value] of own) out.set(`${name}/${weight}`, value);
  }
  return out;
}

/** One BN's weights (γ, β only when affine) and ε; throws naming any missing weight. */
function bnStats(id: string, node: PrimitiveNode, get: (name: string) => WeightArray | undefined): BnStats {
  if (node.op !== 'bn') throw new Error(`bug: "${id}" is not a bn`);
  const affine = node.affine !== false;
  const names = affine ? ['moving_mean', 'moving_variance', 'gamma', 'beta'] : ['moving_mean', 'moving_variance'];
  const missing = names.filter((n) => get(n) === undefined);
  if (missing.length > 0) throw new Error(`cannot fold "${id}": missing weights ${missing.join(', ')}`);
  const w = (name: string) => get(name) as WeightArray;
  return {
    mean: w('moving_mean'),
    variance: w('moving_variance'),
    gamma: affine ? w('gamma') : undefined,
    beta: affine ? w('beta') : undefined,
    epsilon: node.epsilon ?? 1e-5,
  };
}

type BnStats = {
  readonly mean: WeightArray;
  readonly variance: WeightArray;
  readonly gamma: WeightArray | undefined;
  readonly beta: WeightArray | undefined;
  readonly epsilon: number;
};

/**
 * The kernel scaled along its last (output-channel) axis and the bias, folding the BNs in order (a
 * chain composes: s = s₁·s₂…, the bias runs through each); float64 until the float32 result.
 */
function foldInto(
  kernel: WeightArray,
  bias: WeightArray | undefined,
  bns: readonly BnStats[],
): { kernel: WeightArray; bias: WeightArray } {
  const c = kernel.shape.at(-1) as number;
  const scale = new Float64Array(c).fill(1);
  const shift = Float64Array.from({ length: c }, (_, i) => bias?.data[i] ?? 0);
  if (bias !== undefined && bias.data.length !== c)
    throw new Error(`bias has ${bias.data.length} values; the kernel has ${c} output channels`);
  for (const bn of bns) {
    for (const [what, w] of [
      ['moving_mean', bn.mean],
      ['moving_variance', bn.variance],
      ['gamma', bn.gamma],
      ['beta', bn.beta],
    ] as const) {
      if (w !== undefined && w.data.length !== c)
        throw new Error(`${what} has ${w.data.length} values; the kernel has ${c} output channels`);
    }
    for (let i = 0; i < c; i++) {
      const s = (bn.gamma?.data[i] ?? 1) / Math.sqrt((bn.variance.data[i] as number) + bn.epsilon);
      scale[i] = (scale[i] as number) * s;
      shift[i] = ((shift[i] as number) - (bn.mean.data[i] as number)) * s + (bn.beta?.data[i] ?? 0);
    }
  }
  const k = Float32Array.from(kernel.data, (v, j) => v * (scale[j % c] as number));
  return { kernel: { shape: [...kernel.shape], data: k }, bias: { shape: [c], data: Float32Array.from(shift) } };
}
