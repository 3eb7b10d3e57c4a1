/**
 * One forward pass of a network through the compiled graph: every node lowered in order, each weight
 * read once (or taken from `overrides`: DARTS evaluates the network at moved weights w′, w±), and in
 * training mode the BatchNorm batch statistics collected for the moving averages.
 */
import { INPUT_ID } from '../../core/arch.js';
import type { ResolvedArch } from '../../space/resolve.js';
import type { Emit } from './emit.js';
import type { GraphNode, Sym } from './graph.js';
import { lowerNode, type LowerContext } from './lower/index.js';
import { Reads, type Variables } from './variables.js';

export type PassOptions = {
  readonly training: boolean;
  /** int32 [2]: the step's seed of dropout masks. */
  readonly seed: Sym;
  /** Values to use instead of reading these variables. */
  readonly overrides?: ReadonlyMap<string, Sym>;
  /** Replaces each node's output by what it returns (quantization inserts its fake-quant ops here). */
  readonly afterNode?: (id: string, value: Sym, layer: string) => Sym;
  /** Replaces each weight's value (read or overridden) by what it returns, named `<layer>/<weight>` (quantization-aware training). */
  readonly afterWeight?: (name: string, value: Sym) => Sym;
  /** Replaces the depthwise output inside separable conv `id` (quantization-aware training). */
  readonly afterDepthwise?: (id: string, value: Sym) => Sym;
};

export type Pass = {
  readonly logits: Sym;
  readonly reads: Reads;
  readonly usedSeed: boolean;
  /** Training mode: each BatchNorm's batch mean and biased variance, with its momentum. */
  readonly batchStatistics: readonly BatchStatistics[];
  /** Each node's graph nodes: indices [start, end) into the graph's nodes (gradient checkpointing). */
  readonly spans: ReadonlyMap<string, { readonly start: number; readonly end: number }>;
};

export type BatchStatistics = {
  readonly layer: string;
  readonly mean: Sym;
  readonly variance: Sym;
  readonly momentum: number;
};

/** Runs the network over `x`. `names` are the tfjs layer names of the nodes (src/eval/build/build-model.ts). */
export function forward(
  e: Emit,
  vars: Variables,
  arch: ResolvedArch,
  names: ReadonlyMap<string, string>,
  x: Sym,
  o: PassOptions,
): Pass {
  const reads = new Reads(e, vars);
  const batchStatistics: BatchStatistics[] = [];
  const tensors = new Map<string, Sym>([[INPUT_ID, x]]);
  const owner = new Map<string, string>();
  let seeds = 0;
  const alphas = alphaShapes(arch);
  const spans = new Map<string, { start: number; end: number }>();
  const afterDepthwise = o.afterDepthwise;
  for (const { id, node } of arch.nodes) {
    const shared = 'weightsOf' in node && node.weightsOf !== undefined ? owner.get(node.weightsOf) : undefined;
    const layer = shared ?? (names.get(id) as string);
    owner.set(id, layer);
    const momentum = node.op === 'bn' ? (node.momentum ?? 0.9) : 0.9;
    const ctx: LowerContext = {
      e,
      training: o.training,
      weight: (l, name, shape, kind) => {
        const value = o.overrides?.get(`${l}/${name}`) ?? reads.read(`${l}/${name}`, shape, kind);
        return o.afterWeight === undefined ? value : o.afterWeight(`${l}/${name}`, value);
      },
      batchStatistics: (l, mean, variance) => batchStatistics.push({ layer: l, mean, variance, momentum }),
      randomSeed: () => e.add(o.seed, e.constI([0, ++seeds])),
      alphaShape: (name) => alphas.get(name) as [number, number],
      ...(afterDepthwise === undefined ? {} : { separableMiddle: (value: Sym) => afterDepthwise(id, value) }),
    };
    const inputs = node.inputs.map((ref) => tensors.get(ref) as Sym);
    const start = e.g.nodes.length;
    const value = e.g.within(layer, () => lowerNode(ctx, layer, node, inputs));
    tensors.set(id, o.afterNode === undefined ? value : o.afterNode(id, value, layer));
    spans.set(id, { start, end: e.g.nodes.length });
  }
  return { logits: tensors.get(arch.outputs[0] as string) as Sym, reads, usedSeed: seeds > 0, batchStatistics, spans };
}

/** The [edges, ops] shape of every α a supernet's mix nodes read. */
function alphaShapes(arch: ResolvedArch): Map<string, [number, number]> {
  const shapes = new Map<string, [number, number]>();
  for (const { node } of arch.nodes) {
    if (node.op !== 'mix') continue;
    const [edges = 0] = shapes.get(node.alpha) ?? [];
    shapes.set(node.alpha, [Math.max(edges, node.edge + 1), node.inputs.length]);
  }
  return shapes;
}

/**
 * The moving-average updates (moving ← moving − (moving − batch)(1 − m)) of one or several training
 * passes in order, as the eager layers apply them call after call; one assign per statistic.
 */
export function movingAverageUpdates(e: Emit, vars: Variables, reads: Reads, passes: readonly Pass[]): GraphNode[] {
  const current = new Map<string, Sym>();
  for (const pass of passes) {
    for (const { layer, mean, variance, momentum } of pass.batchStatistics) {
      (['moving_mean', 'moving_variance'] as const).forEach((name, i) => {
        const key = `${layer}/${name}`;
        const moving = current.get(key) ?? reads.read(key, mean.shape, 'moving');
        const batch = i === 0 ? mean : variance;
        current.set(key, e.sub(moving, e.mul(e.sub(moving, batch), e.scalar(1 - momentum))));
      });
    }
  }
  return [...current].map(([key, value]) => vars.assign(key, value));
}
