/**
 * The compiler: a resolved architecture and a training configuration become one TensorFlow graph
 * with these signatures over one set of variables (docs/architecture.md, "Compiled training"):
 *
 * - `train`   x, labels, lr (and seed with dropout) → stats [loss, correct]: forward in training
 *             mode, smoothed cross-entropy, gradients (autodiff.ts), clipping, the optimizer update
 *             and the BatchNorm moving averages, all in one call;
 * - `evaluate` x, labels → stats [loss, correct]: inference mode (moving statistics, no dropout);
 * - `predict` x → logits, inference mode;
 * - `read` → every variable; `assign` every variable → done (initial weights, checkpoints, export).
 */
import type { ResolvedArch } from '../../space/resolve.js';
import { INPUT_ID } from '../../core/arch.js';
import { layerNames } from '../build/build-model.js';
import type { ResolvedTrainConfig } from '../train/config.js';
import { decays } from '../train/optimizers.js';
import { gradients } from './autodiff.js';
import { Emit } from './emit.js';
import { Graph, type GraphNode, type Sym } from './graph.js';
import { lowerNode, type LowerContext } from './lower/index.js';
import { clipByGlobalNorm, optimizerUpdates, type ParamStep } from './optimizer.js';
import { savedModelBytes, type Signature } from './saved-model.js';
import { Reads, Variables, type VariableSpec } from './variables.js';

/** The training settings the graph bakes in (the learning rate is an input of every step). */
export type CompileTrainConfig = Pick<ResolvedTrainConfig, 'optimizer' | 'labelSmoothing' | 'clipNorm'>;

/** A compiled network: the SavedModel's bytes, its variables in `read`/`assign` order, and its inputs. */
export type CompiledGraph = {
  readonly bytes: Uint8Array;
  readonly variables: readonly VariableSpec[];
  /** The `train` signature takes a `seed` (int32 [2]) for its dropout masks. */
  readonly needsSeed: boolean;
  readonly nodeCount: number;
};

export function compileArch(arch: ResolvedArch, train: CompileTrainConfig): CompiledGraph {
  const g = new Graph();
  const e = new Emit(g);
  const vars = new Variables(e);
  const names = layerNames(arch).byNode;
  const classes = arch.nodes.find((n) => n.id === arch.outputs[0])?.shape[0] as number;
  const x = g.op('Placeholder', [], { dtype: { type: 'float32' }, shape: { shape: [-1, ...arch.inputShape] } }, [-1, ...arch.inputShape], 'float32', 'x');
  const labels = g.op('Placeholder', [], { dtype: { type: 'int32' }, shape: { shape: [-1] } }, [-1], 'int32', 'labels');
  const lr = g.op('Placeholder', [], { dtype: { type: 'float32' }, shape: { shape: [] } }, [], 'float32', 'lr');
  const seed = g.op('Placeholder', [], { dtype: { type: 'int32' }, shape: { shape: [2] } }, [2], 'int32', 'seed');

  const trainPass = g.within('train', () => forward(e, vars, arch, names, x, true, seed));
  const trainLoss = crossEntropy(e, trainPass.logits, labels, classes, train.labelSmoothing);
  const updates = g.within('train', () => [...weightUpdates(e, vars, trainPass, trainLoss, train, lr), ...trainPass.statistics()]);
  const trainStats = g.within('train', () => withControl(e, e.g.op('Pack', [trainLoss, correctCount(e, trainPass.logits, labels)], { T: { type: 'float32' }, N: { i: 2 }, axis: { i: 0 } }, [2]), updates));

  const evalPass = g.within('eval', () => forward(e, vars, arch, names, x, false, seed));
  const evalStats = g.within('eval', () => e.g.op('Pack', [crossEntropy(e, evalPass.logits, labels, classes, 0), correctCount(e, evalPass.logits, labels)], { T: { type: 'float32' }, N: { i: 2 }, axis: { i: 0 } }, [2]));

  const io = g.within('io', () => variableIo(e, vars));
  const signatures: Record<string, Signature> = {
    train: { inputs: { x, labels, lr, ...(trainPass.usedSeed ? { seed } : {}) }, outputs: { stats: trainStats } },
    evaluate: { inputs: { x, labels }, outputs: { stats: evalStats } },
    predict: { inputs: { x }, outputs: { logits: evalPass.logits } },
    read: { inputs: {}, outputs: io.read },
    assign: { inputs: io.assignInputs, outputs: { done: io.done } },
  };
  return { bytes: savedModelBytes(g, signatures), variables: vars.specs, needsSeed: trainPass.usedSeed, nodeCount: g.nodes.length };
}

type Pass = { logits: Sym; reads: Reads; usedSeed: boolean; statistics: () => GraphNode[] };

/** One forward pass of the network over `x`; in training mode it also collects the moving-average updates. */
function forward(e: Emit, vars: Variables, arch: ResolvedArch, names: ReadonlyMap<string, string>, x: Sym, training: boolean, seed: Sym): Pass {
  const reads = new Reads(e, vars);
  const batchStats: { layer: string; mean: Sym; variance: Sym; momentum: number }[] = [];
  const tensors = new Map<string, Sym>([[INPUT_ID, x]]);
  let seeds = 0;
  const owner = new Map<string, string>();
  for (const { id, node } of arch.nodes) {
    const shared = 'weightsOf' in node && node.weightsOf !== undefined ? owner.get(node.weightsOf) : undefined;
    const layer = shared ?? (names.get(id) as string);
    owner.set(id, layer);
    const momentum = node.op === 'bn' ? (node.momentum ?? 0.9) : 0.9;
    const ctx: LowerContext = {
      e,
      training,
      weight: (l, name, shape, kind) => reads.read(`${l}/${name}`, shape, kind),
      batchStatistics: (l, mean, variance) => batchStats.push({ layer: l, mean, variance, momentum }),
      randomSeed: () => e.add(seed, e.constI([0, ++seeds])),
    };
    const inputs = node.inputs.map((ref) => tensors.get(ref) as Sym);
    tensors.set(id, e.g.within(layer, () => lowerNode(ctx, layer, node, inputs)));
  }
  const statistics = () =>
    batchStats.flatMap(({ layer, mean, variance, momentum }) =>
      (['moving_mean', 'moving_variance'] as const).map((name, i) => {
        const moving = reads.read(`${layer}/${name}`, mean.shape, 'moving');
        const batch = i === 0 ? mean : variance;
        return vars.assign(`${layer}/${name}`, e.sub(moving, e.mul(e.sub(moving, batch), e.scalar(1 - momentum))));
      }),
    );
  return { logits: tensors.get(arch.outputs[0] as string) as Sym, reads, usedSeed: seeds > 0, statistics };
}

/** Gradients of the loss, clipped if asked, and the optimizer's updates of every trainable weight that has one. */
function weightUpdates(e: Emit, vars: Variables, pass: Pass, loss: Sym, train: CompileTrainConfig, lr: Sym): GraphNode[] {
  const trainable = vars.specs.filter((v) => v.trainable && pass.reads.all.has(v.name));
  const values = trainable.map((v) => pass.reads.all.get(v.name) as Sym);
  const grads = gradients(e, loss, values);
  const withGrad = trainable.map((v, i) => ({ v, value: values[i] as Sym, grad: grads[i] })).filter((p): p is { v: VariableSpec; value: Sym; grad: Sym } => p.grad !== undefined);
  const clipped = train.clipNorm === undefined ? withGrad.map((p) => p.grad) : clipByGlobalNorm(e, withGrad.map((p) => p.grad), train.clipNorm);
  const params: ParamStep[] = withGrad.map((p, i) => ({ name: p.v.name, value: p.value, grad: clipped[i] as Sym, decay: decays(p.v.name, train.optimizer.decayOn) }));
  return optimizerUpdates(e, vars, pass.reads, params, train.optimizer, lr);
}

/** Mean softmax cross-entropy against integer labels with label smoothing ε (as src/eval/train/loss.ts). */
function crossEntropy(e: Emit, logits: Sym, labels: Sym, classes: number, smoothing: number): Sym {
  const off = smoothing / classes;
  const target = e.g.op('OneHot', [labels, e.constI([classes], []), e.scalar(1 - smoothing + off), e.scalar(off)], { T: { type: 'float32' }, TI: { type: 'int32' }, axis: { i: -1 } }, logits.shape);
  const perExample = e.g.add('SoftmaxCrossEntropyWithLogits', [logits, target], { T: { type: 'float32' } }, [{ shape: [-1], dtype: 'float32' }, { shape: logits.shape, dtype: 'float32' }]).outputs[0] as Sym;
  return e.reduce('Mean', perExample, [0]);
}

/** How many rows of the logits have their largest value at the label. */
function correctCount(e: Emit, logits: Sym, labels: Sym): Sym {
  const predicted = e.g.op('ArgMax', [logits, e.constI([1], [])], { T: { type: 'float32' }, Tidx: { type: 'int32' }, output_type: { type: 'int32' } }, [-1], 'int32');
  return e.reduce('Sum', e.cast(e.compare('Equal', predicted, labels), 'float32'), [0]);
}

function withControl(e: Emit, s: Sym, deps: readonly GraphNode[]): Sym {
  return e.g.add('Identity', [s], { T: { type: s.dtype } }, [{ shape: s.shape, dtype: s.dtype }], { name: 'out', control: deps }).outputs[0] as Sym;
}

/** The `read` outputs and `assign` inputs of every variable, keyed v0, v1, … in `vars.specs` order. */
function variableIo(e: Emit, vars: Variables) {
  const read: Record<string, Sym> = {};
  const assignInputs: Record<string, Sym> = {};
  const assigns: GraphNode[] = [];
  vars.specs.forEach((spec, i) => {
    read[`v${i}`] = e.readVariable(vars.handles.get(spec.name) as Sym, spec.shape);
    const input = e.g.op('Placeholder', [], { dtype: { type: 'float32' }, shape: { shape: spec.shape } }, spec.shape, 'float32', `in${i}`);
    assignInputs[`v${i}`] = input;
    assigns.push(vars.assign(spec.name, input));
  });
  const done = withControl(e, e.scalar(vars.specs.length), assigns);
  return { read, assignInputs, done };
}
