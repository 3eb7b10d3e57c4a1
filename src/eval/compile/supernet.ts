/**
 * A DARTS supernet compiled (Liu et al. 2019; the eager reference is src/search/darts/bilevel.ts):
 * mix nodes read α variables ("alpha/<cell>"), and these signatures run a whole step each:
 *
 * - `weight_step`  x, labels, lr → [loss, correct]: SGD with momentum, L2 decay on kernels, clipping;
 * - `alpha_first`  vx, vlabels → [loss, finite]: ∇α L_val(w, α), then Adam on α (L2 decay);
 * - `alpha_second` x, labels, vx, vlabels, lr → [loss at w′, finite]: eq. 7 with the finite-difference
 *   Hessian-vector product of eq. 8, the virtual step w′ = w − ξ(μb + ∇w L_train + λw) taken in the
 *   graph (w itself is never moved), then Adam on α;
 * - `evaluate`, `read`, `assign` as for a trial.
 *
 * Every training-mode forward updates the BatchNorm moving averages in order, as the eager layers do.
 * `finite` is 1 when every architecture gradient is finite: weights blown up by a diverging weight
 * step can still give a finite (huge) loss through BatchNorm while α's gradient is already NaN.
 */
import type { ResolvedArch } from '../../space/resolve.js';
import { decays, withOptimizerDefaults, type ResolvedOptimizer } from '../train/optimizers.js';
import { gradients } from './autodiff.js';
import { recomputePlan, type Recompute } from './checkpoint.js';
import {
  batchInputs,
  evaluationPass,
  finish,
  networkGraph,
  trainableOf,
  trainingStep,
  type CompiledGraph,
  type NetworkGraph,
} from './compile.js';
import type { Sym } from './graph.js';
import { optimizerUpdates } from './optimizer.js';
import { after, crossEntropy, pack, placeholder } from './parts.js';
import { forward, movingAverageUpdates, type Pass } from './pass.js';

/** The settings of the two optimizers and of the second-order step (src/search/darts/options.ts). */
export type SupernetTraining = {
  readonly momentum: number;
  readonly weightDecay: number;
  readonly clipNorm: number;
  readonly alphaLr: number;
  readonly alphaBeta1: number;
  readonly alphaBeta2: number;
  readonly alphaWeightDecay: number;
  readonly finiteDifference: number;
  /** Gradient checkpointing of every training pass (checkpoint.ts): K segments; 0 or absent for none. */
  readonly checkpointSegments?: number;
};

export function compileSupernet(arch: ResolvedArch, o: SupernetTraining): CompiledGraph {
  const net = networkGraph(arch);
  const { e } = net;
  const { x, labels } = batchInputs(net);
  const { x: vx, labels: vlabels } = batchInputs(net, 'v');
  const lr = placeholder(e, 'lr', []);
  const sgd = withOptimizerDefaults({
    kind: 'sgd',
    momentum: o.momentum,
    nesterov: false,
    weightDecay: o.weightDecay,
    decayOn: 'kernels',
  });
  const checkpointing = segmentsOf(o) === undefined ? {} : { checkpointing: { segments: segmentsOf(o) as number } };
  const weightStep = e.g.within('weight_step', () =>
    trainingStep(net, x, labels, lr, {
      optimizer: sgd,
      labelSmoothing: 0,
      ...(o.clipNorm > 0 ? { clipNorm: o.clipNorm } : {}),
      ...checkpointing,
    }),
  );
  const first = e.g.within('alpha_first', () => alphaFirst(net, vx, vlabels, o));
  const second = e.g.within('alpha_second', () =>
    alphaSecond(net, { x, labels }, { x: vx, labels: vlabels }, lr, o, sgd),
  );
  const evaluation = e.g.within('eval', () => evaluationPass(net, x, labels));
  return finish(net, {
    weight_step: { inputs: { x, labels, lr }, outputs: { stats: weightStep.stats } },
    alpha_first: { inputs: { vx, vlabels }, outputs: { stats: first } },
    alpha_second: { inputs: { x, labels, vx, vlabels, lr }, outputs: { stats: second } },
    evaluate: { inputs: { x, labels }, outputs: { stats: evaluation.stats } },
  });
}

type Batch = { readonly x: Sym; readonly labels: Sym };

function segmentsOf(o: SupernetTraining): number | undefined {
  return o.checkpointSegments === undefined || o.checkpointSegments === 0 ? undefined : o.checkpointSegments;
}

/** A training-mode pass and its loss, with the recompute plan its gradients use when checkpointing. */
type TrainingPass = { readonly pass: Pass; readonly loss: Sym; readonly recompute?: Recompute };

function trainingPass(
  net: NetworkGraph,
  batch: Batch,
  o: SupernetTraining,
  overrides?: ReadonlyMap<string, Sym>,
): TrainingPass {
  const pass = forward(net.e, net.vars, net.arch, net.names, batch.x, {
    training: true,
    seed: net.seed,
    ...(overrides === undefined ? {} : { overrides }),
  });
  const loss = crossEntropy(net.e, pass.logits, batch.labels);
  const segments = segmentsOf(o);
  return {
    pass,
    loss,
    ...(segments === undefined ? {} : { recompute: recomputePlan(net.e, net.arch, pass, batch.x, segments) }),
  };
}

/** α read by a pass, cell by cell. */
function alphasOf(net: NetworkGraph, pass: Pass): { name: string; value: Sym }[] {
  return net.vars.specs
    .filter((v) => v.kind === 'alpha')
    .map((v) => ({ name: v.name, value: pass.reads.all.get(v.name) as Sym }));
}

/** The gradients of a pass's loss with respect to `xs`, zeros where it does not depend on one. */
function gradientsOrZero(net: NetworkGraph, p: TrainingPass, xs: readonly Sym[]): Sym[] {
  return gradients(net.e, p.loss, xs, undefined, p.recompute).map((g, i) => g ?? net.e.zerosLike(xs[i] as Sym));
}

function adam(o: SupernetTraining): ResolvedOptimizer {
  return withOptimizerDefaults({
    kind: 'adam',
    beta1: o.alphaBeta1,
    beta2: o.alphaBeta2,
    epsilon: 1e-8,
    weightDecay: o.alphaWeightDecay,
    decayOn: 'all',
  });
}

/** Adam on α and the passes' moving averages; the output [loss, 1 if every gradient is finite]. */
function alphaUpdate(
  net: NetworkGraph,
  loss: Sym,
  pass: Pass,
  alphas: readonly { name: string; value: Sym }[],
  grads: readonly Sym[],
  o: SupernetTraining,
  passes: readonly Pass[],
): Sym {
  const { e, vars } = net;
  const params = alphas.map((a, i) => ({ name: a.name, value: a.value, grad: grads[i] as Sym, decay: true }));
  const updates = [
    ...optimizerUpdates(e, vars, pass.reads, params, adam(o), e.scalar(o.alphaLr)),
    ...movingAverageUpdates(e, vars, pass.reads, passes),
  ];
  const total = e.addN(
    grads.map((g) =>
      e.reduce(
        'Sum',
        g,
        g.shape.map((_, i) => i),
      ),
    ),
  );
  const finite = e.cast(e.g.op('IsFinite', [total], { T: { type: 'float32' } }, [], 'bool'), 'float32');
  return after(e, pack(e, [loss, finite]), updates);
}

/** First order: ∇α L_val(w, α), then Adam on α. */
function alphaFirst(net: NetworkGraph, vx: Sym, vlabels: Sym, o: SupernetTraining): Sym {
  const p = trainingPass(net, { x: vx, labels: vlabels }, o);
  const alphas = alphasOf(net, p.pass);
  const grads = gradientsOrZero(
    net,
    p,
    alphas.map((a) => a.value),
  );
  return alphaUpdate(net, p.loss, p.pass, alphas, grads, o, [p.pass]);
}

/** Second order (eq. 7–8) at ξ = lr, then Adam on α. */
function alphaSecond(
  net: NetworkGraph,
  train: Batch,
  val: Batch,
  xi: Sym,
  o: SupernetTraining,
  sgd: ResolvedOptimizer,
): Sym {
  const { e } = net;
  const first = trainingPass(net, train, o);
  const weights = trainableOf(net, first.pass);
  const gTrain = gradientsOrZero(
    net,
    first,
    weights.map((w) => w.value),
  );
  // The virtual step of the weights' own optimizer: w′ = w − ξ(μb + g + λw).
  const moved = weights.map((w, i) => {
    let d = gTrain[i] as Sym;
    if (decays(w.spec.name, 'kernels') && o.weightDecay > 0) d = e.add(d, e.mul(w.value, e.scalar(o.weightDecay)));
    if (sgd.kind === 'sgd' && sgd.momentum > 0)
      d = e.add(
        d,
        e.mul(first.pass.reads.read(`${w.spec.name}/momentum`, w.value.shape, 'slot'), e.scalar(sgd.momentum)),
      );
    return e.sub(w.value, e.mul(d, xi));
  });
  const at = (values: readonly Sym[]) => new Map(weights.map((w, i) => [w.spec.name, values[i] as Sym]));
  const unrolled = trainingPass(net, val, o, at(moved));
  const alphas = alphasOf(net, unrolled.pass);
  const both = gradientsOrZero(net, unrolled, [...alphas.map((a) => a.value), ...moved]);
  const dAlpha = both.slice(0, alphas.length);
  const dW = both.slice(alphas.length);
  const norm = e.unary(
    'Sqrt',
    e.addN(
      dW.map((g) =>
        e.reduce(
          'Sum',
          e.unary('Square', g),
          g.shape.map((_, i) => i),
        ),
      ),
    ),
  );
  const epsilon = e.div(
    e.scalar(o.finiteDifference),
    e.select(e.compare('Greater', norm, e.scalar(0)), norm, e.scalar(1)),
  );
  const shifted = (sign: number) => {
    const at2 = at(weights.map((w, i) => e.add(w.value, e.mul(dW[i] as Sym, e.mul(epsilon, e.scalar(sign))))));
    const p = trainingPass(net, train, o, at2);
    return {
      pass: p.pass,
      grads: gradientsOrZero(
        net,
        p,
        alphasOf(net, p.pass).map((a) => a.value),
      ),
    };
  };
  const plus = shifted(1);
  const minus = shifted(-1);
  const scale = e.div(xi, e.mul(e.scalar(2), epsilon));
  const grads = dAlpha.map((g, i) => e.sub(g, e.mul(e.sub(plus.grads[i] as Sym, minus.grads[i] as Sym), scale)));
  return alphaUpdate(net, unrolled.loss, unrolled.pass, alphas, grads, o, [
    first.pass,
    unrolled.pass,
    plus.pass,
    minus.pass,
  ]);
}
