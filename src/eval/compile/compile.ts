/**
 * The compiler: a resolved architecture and a training configuration become one TensorFlow graph
 * with these signatures over one set of variables (docs/architecture.md, "Compiled training"):
 *
 * - `train`   x, labels, lr (and seed with dropout) → stats [loss, correct]: forward in training
 *             mode, smoothed cross-entropy, gradients (autodiff.ts), clipping, the optimizer update
 *             and the BatchNorm moving averages, all in one call;
 * - `train_qat` (with `train.qat`) the same step with the forward pass fake-quantized as the
 *             full-integer network will be (qat.ts), and the moving activation ranges updated;
 * - `evaluate` x, labels → stats [loss, correct]: inference mode (moving statistics, no dropout);
 * - `predict` x → logits, inference mode;
 * - `diagnose` (with `train.diagnostics`) the figures of a check: gradients not applied, activation
 *             statistics of a probe batch (diagnose.ts);
 * - `read` → every variable; `assign` every variable → done (initial weights, checkpoints, export).
 */
import type { ResolvedArch } from '../../space/resolve.js';
import { decays } from '../train/optimizers.js';
import { gradients } from './autodiff.js';
import { qatPlan } from '../quantize/qat-plan.js';
import { recomputePlan, type Recompute } from './checkpoint.js';
import { diagnoseSignature } from './diagnose.js';
import { probePoints } from '../train/probes.js';
import type { GraphNode, Sym } from './graph.js';
import { clipByGlobalNorm, optimizerUpdates, type ParamStep } from './optimizer.js';
import { after, correctCount, crossEntropy, pack, placeholder, variableIo } from './parts.js';
import { forward, movingAverageUpdates, type Pass } from './pass.js';
import { qatRangeVariables, quantizationAwarePass, type QatGraphSettings } from './qat.js';
import { networkGraph, trainableOf, type CompileTrainConfig, type NetworkGraph } from './network-graph.js';
import { savedModelBytes, type Signature } from './saved-model.js';
import type { VariableSpec } from './variables.js';

export { networkGraph, trainableOf, type CompileTrainConfig, type NetworkGraph } from './network-graph.js';

/**
 * A graph compiled with diagnostics: the weights of `diagnose`'s figures in order, its inputs, whether it
 * returns the gradients, and how many probed outputs it returns (`a<i>`, with histograms).
 */
export type DiagnoseInfo = {
  readonly params: readonly string[];
  readonly inputs: readonly string[];
  readonly gradientValues: boolean;
  readonly activationValues: number;
};

/** A compiled network: the SavedModel's bytes, its variables in `read`/`assign` order, and whether `train` takes a seed. */
export type CompiledGraph = {
  readonly bytes: Uint8Array;
  /** The graph the bytes were written from (its tensors' dtypes and shapes; precision.ts rewrites the bytes by them). */
  readonly nodes: readonly GraphNode[];
  readonly variables: readonly VariableSpec[];
  /** The training signatures take a `seed` (int32 [2]) for their dropout masks. */
  readonly needsSeed: boolean;
  readonly nodeCount: number;
  /** The signatures to load. */
  readonly signatures: readonly string[];
  /** With `train_qat`: the range variable of each quantized activation, by its id in the prepared network (qat.ts). */
  readonly qatRanges?: ReadonlyMap<string, string>;
  /** With `train.diagnostics` on: the `diagnose` signature (absent from `signatures` when it measures nothing). */
  readonly diagnose?: DiagnoseInfo;
};

/** Inputs of a batch: images and integer labels. */
export function batchInputs(net: NetworkGraph, prefix = ''): { x: Sym; labels: Sym } {
  return {
    x: placeholder(net.e, `${prefix}x`, [-1, ...net.arch.inputShape]),
    labels: placeholder(net.e, `${prefix}labels`, [-1], 'int32'),
  };
}

/** Compiles a network; without `train`, for inference only (no `train` signature, no optimizer slots). */
export function compileArch(arch: ResolvedArch, train?: CompileTrainConfig): CompiledGraph {
  const net = networkGraph(arch);
  const { e } = net;
  const { x, labels } = batchInputs(net);
  const evaluation = e.g.within('eval', () => evaluationPass(net, x, labels));
  const inference = {
    evaluate: { inputs: { x, labels }, outputs: { stats: evaluation.stats } },
    predict: { inputs: { x }, outputs: { logits: evaluation.logits } },
  };
  if (train === undefined) return finish(net, inference);
  const lr = placeholder(e, 'lr', []);
  const trainInputs = (usedSeed: boolean) => ({ x, labels, lr, ...(usedSeed ? { seed: net.seed } : {}) });
  const step = e.g.within('train', () => trainingStep(net, x, labels, lr, train));
  const diagnostics = train.diagnostics?.enabled === true ? train.diagnostics : undefined;
  const probes = diagnostics?.activations === true ? probePoints(arch, net.names).map((p) => p.node) : [];
  const diagnose =
    diagnostics === undefined
      ? undefined
      : e.g.within('diagnose', () => diagnoseSignature(net, x, labels, train, { ...diagnostics, probes }));
  const measures = diagnose !== undefined && Object.keys(diagnose.signature.outputs).length > 0;
  const signatures = {
    ...inference,
    train: { inputs: trainInputs(step.usedSeed), outputs: { stats: step.stats } },
    ...(measures ? { diagnose: diagnose.signature } : {}),
  };
  const info =
    diagnose === undefined
      ? {}
      : {
          diagnose: {
            params: diagnose.params,
            inputs: Object.keys(diagnose.signature.inputs),
            gradientValues: diagnostics?.histograms === true,
            activationValues: diagnostics?.histograms === true ? probes.length : 0,
          },
        };
  if (train.qat === undefined) return { ...finish(net, signatures), ...info };
  const qat: QatGraphSettings = { plan: qatPlan(arch), momentum: train.qat.momentum };
  const qatStep = e.g.within('train_qat', () => trainingStep(net, x, labels, lr, train, qat));
  const compiled = finish(net, {
    ...signatures,
    train_qat: { inputs: trainInputs(qatStep.usedSeed), outputs: { stats: qatStep.stats } },
  });
  return { ...compiled, ...info, qatRanges: qatRangeVariables(qat.plan, net.names) };
}

/** Adds the `read` and `assign` signatures and writes the SavedModel. */
export function finish(net: NetworkGraph, signatures: Readonly<Record<string, Signature>>): CompiledGraph {
  const io = net.e.g.within('io', () => variableIo(net.e, net.vars));
  const all = {
    ...signatures,
    read: { inputs: {}, outputs: io.read },
    assign: { inputs: io.assignInputs, outputs: { done: io.done } },
  };
  const needsSeed = Object.values(signatures).some((s) => 'seed' in s.inputs);
  return {
    bytes: savedModelBytes(net.e.g, all),
    nodes: net.e.g.nodes,
    variables: net.vars.specs,
    needsSeed,
    nodeCount: net.e.g.nodes.length,
    signatures: Object.keys(all),
  };
}

/**
 * One optimizer step of the weights on a batch: [loss, correct] once every update has run. With
 * `qat`, the forward pass is fake-quantized and its activation ranges are updated too.
 */
export function trainingStep(
  net: NetworkGraph,
  x: Sym,
  labels: Sym,
  lr: Sym,
  train: CompileTrainConfig,
  qat?: QatGraphSettings,
): { stats: Sym; usedSeed: boolean } {
  const { e, vars } = net;
  const quantization = qat === undefined ? undefined : quantizationAwarePass(net, x, qat);
  const input = quantization?.input ?? x;
  const pass = forward(e, vars, net.arch, net.names, input, {
    training: true,
    seed: net.seed,
    ...quantization?.options,
  });
  const loss = crossEntropy(e, pass.logits, labels, train.labelSmoothing);
  const recompute =
    train.checkpointing === undefined
      ? undefined
      : recomputePlan(e, net.arch, pass, input, train.checkpointing.segments);
  const updates = [
    ...weightUpdates(net, pass, loss, train, lr, recompute),
    ...movingAverageUpdates(e, vars, pass.reads, [pass]),
    ...(quantization?.updates() ?? []),
  ];
  return { stats: after(e, pack(e, [loss, correctCount(e, pass.logits, labels)]), updates), usedSeed: pass.usedSeed };
}

/** Inference-mode loss and correct count of a batch, and the logits. */
export function evaluationPass(net: NetworkGraph, x: Sym, labels: Sym): { stats: Sym; logits: Sym } {
  const pass = forward(net.e, net.vars, net.arch, net.names, x, { training: false, seed: net.seed });
  return {
    stats: pack(net.e, [crossEntropy(net.e, pass.logits, labels), correctCount(net.e, pass.logits, labels)]),
    logits: pass.logits,
  };
}

/** Gradients of the loss, clipped if asked, and the optimizer's updates of every trainable weight that has one. */
function weightUpdates(
  net: NetworkGraph,
  pass: Pass,
  loss: Sym,
  train: CompileTrainConfig,
  lr: Sym,
  recompute?: Recompute,
): GraphNode[] {
  const { e, vars } = net;
  const trainable = trainableOf(net, pass);
  // A weight read by the pass whose only way to the loss is through zeros (an NB201 "none" edge) gets
  // a zero gradient, as in tfjs and PyTorch: weight decay and momentum still move it.
  const grads = gradients(
    e,
    loss,
    trainable.map((t) => t.value),
    undefined,
    recompute,
  );
  const withGrad = trainable.map((t, i) => ({ ...t, grad: grads[i] ?? e.zerosLike(t.value) }));
  const clipped =
    train.clipNorm === undefined
      ? withGrad.map((p) => p.grad)
      : clipByGlobalNorm(
          e,
          withGrad.map((p) => p.grad),
          train.clipNorm,
        );
  const params: ParamStep[] = withGrad.map((p, i) => ({
    name: p.spec.name,
    value: p.value,
    grad: clipped[i] as Sym,
    decay: decays(p.spec.name, train.optimizer.decayOn),
  }));
  return optimizerUpdates(e, vars, pass.reads, params, train.optimizer, lr);
}
