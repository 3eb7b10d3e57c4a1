/**
 * A compiled training graph in float32 and its mixed-precision variants (src/eval/compile/precision.ts applied to the
 * `train` signature's nodes), loaded with the same initial weights, so that steps of each can be
 * timed against each other in one process and trained side by side.
 *
 * - `convs`: only the convolutions and matmuls (forward and both gradients) run low, with a Cast in
 *   and out of each (the brief's "casts around the convs/matmuls");
 * - `activations`: every op on the batch's rank-4 activations runs low as well (BatchNorm x/y with
 *   float32 statistics, ReLU, pooling, adds, pads, concatenations and their gradients), so casts sit
 *   only where activations meet float32: the input, the weights, the logits, reductions;
 *   TensorFlow's auto_mixed_precision allow/infer lists make about this choice.
 * Reductions (BiasAddGrad, Sum, Mean), the loss, the optimizer and the BatchNorm moving averages stay
 * float32; weights are float32 variables (master weights), cast to low where a low op reads them.
 */
import { compileArch, type CompileTrainConfig, type CompiledGraph } from '../../src/eval/compile/compile.js';
import type { GraphNode } from '../../src/eval/compile/graph.js';
import type { ResolvedArch } from '../../src/space/resolve.js';
import { HEAVY, lowerPrecision, trainActivationOp, type LowDType } from '../../src/eval/compile/precision.js';

export type Scope = 'convs' | 'activations';
export type Variant = { readonly name: string; readonly dtype?: LowDType; readonly scope?: Scope };

/** The node selector of a scope: nodes of the `train` signature only (`activations` is what `train.precision: 'bf16'` uses). */
export function selector(scope: Scope): (n: GraphNode) => boolean {
  return scope === 'activations' ? trainActivationOp : (n) => n.name.startsWith('train/') && HEAVY.has(n.op);
}

export type Built = { readonly compiled: CompiledGraph };

/** compileArch's signatures in float32 (the compiled graph keeps its nodes: the rewrite needs their dtypes and shapes). */
export function buildTraining(arch: ResolvedArch, train: CompileTrainConfig): Built {
  return { compiled: compileArch(arch, train) };
}

export type VariantGraph = {
  readonly variant: Variant;
  readonly compiled: CompiledGraph;
  readonly lowered: number;
  readonly casts: number;
};

export function variantGraph(built: Built, variant: Variant): VariantGraph {
  if (variant.dtype === undefined) return { variant, compiled: built.compiled, lowered: 0, casts: 0 };
  const out = lowerPrecision(built.compiled.bytes, built.compiled, selector(variant.scope ?? 'convs'), variant.dtype);
  return { variant, compiled: { ...built.compiled, bytes: out.bytes }, lowered: out.lowered, casts: out.castNodes };
}

export { loadFromModel as loadWithWeights } from '../../src/eval/compile/index.js';
