/**
 * The optimizer update of the compiled `train` signature: the same rules, term for term, as the eager
 * optimizers of src/eval/train/optimizers.ts (SGD with momentum or Nesterov, Adam, AdamW; L2 or
 * decoupled weight decay), with global-norm gradient clipping as src/eval/train/clip.ts computes it.
 */
import type { ResolvedOptimizer } from '../train/optimizers.js';
import type { Emit } from './emit.js';
import type { GraphNode, Sym } from './graph.js';
import type { Reads, Variables } from './variables.js';

/** One trainable weight in a step: its name, current value, gradient and whether it decays. */
export type ParamStep = { readonly name: string; readonly value: Sym; readonly grad: Sym; readonly decay: boolean };

/** The gradients multiplied by min(1, maxNorm / (‖g‖ + 1e-6)), ‖g‖ the global norm (Pascanu et al. 2013). */
export function clipByGlobalNorm(e: Emit, grads: readonly Sym[], maxNorm: number): Sym[] {
  const norm = e.unary(
    'Sqrt',
    e.addN(
      grads.map((g) =>
        e.reduce(
          'Sum',
          e.unary('Square', g),
          g.shape.map((_, i) => i),
        ),
      ),
    ),
  );
  const coefficient = e.binary('Minimum', e.scalar(1), e.div(e.scalar(maxNorm), e.add(norm, e.scalar(1e-6))));
  return grads.map((g) => e.mul(g, coefficient));
}

/** The update ops of one optimizer step at learning rate `lr` (a scalar input). */
export function optimizerUpdates(
  e: Emit,
  vars: Variables,
  reads: Reads,
  params: readonly ParamStep[],
  o: ResolvedOptimizer,
  lr: Sym,
): GraphNode[] {
  const updates: GraphNode[] = [];
  const slot = (p: ParamStep, suffix: string) => reads.read(`${p.name}/${suffix}`, p.value.shape, 'slot');
  const decayed = (p: ParamStep, decoupled: boolean): { theta: Sym; grad: Sym } => {
    if (!p.decay || o.weightDecay === 0) return { theta: p.value, grad: p.grad };
    if (decoupled)
      return { theta: e.mul(p.value, e.sub(e.scalar(1), e.mul(lr, e.scalar(o.weightDecay)))), grad: p.grad };
    return { theta: p.value, grad: e.add(p.grad, e.mul(p.value, e.scalar(o.weightDecay))) };
  };
  if (o.kind === 'sgd') {
    for (const p of params) {
      const { theta, grad } = decayed(p, o.decoupled);
      let d = grad;
      if (o.momentum > 0) {
        const buffer = e.add(e.mul(slot(p, 'momentum'), e.scalar(o.momentum)), grad);
        updates.push(vars.assign(`${p.name}/momentum`, buffer));
        d = o.nesterov ? e.add(grad, e.mul(buffer, e.scalar(o.momentum))) : buffer;
      }
      updates.push(vars.assign(p.name, e.sub(theta, e.mul(d, lr))));
    }
    return updates;
  }
  const step = e.add(reads.read('optimizer/step', [], 'slot'), e.scalar(1));
  updates.push(vars.assign('optimizer/step', step));
  const c1 = e.sub(e.scalar(1), e.binary('Pow', e.scalar(o.beta1), step));
  const c2 = e.sub(e.scalar(1), e.binary('Pow', e.scalar(o.beta2), step));
  const rate = e.div(lr, c1);
  const sqrtC2 = e.unary('Sqrt', c2);
  for (const p of params) {
    const { theta, grad } = decayed(p, o.kind === 'adamw');
    const m = e.add(e.mul(slot(p, 'm'), e.scalar(o.beta1)), e.mul(grad, e.scalar(1 - o.beta1)));
    const v = e.add(e.mul(slot(p, 'v'), e.scalar(o.beta2)), e.mul(e.unary('Square', grad), e.scalar(1 - o.beta2)));
    updates.push(vars.assign(`${p.name}/m`, m), vars.assign(`${p.name}/v`, v));
    const denominator = e.add(e.div(e.unary('Sqrt', v), sqrtC2), e.scalar(o.epsilon));
    updates.push(vars.assign(p.name, e.sub(theta, e.mul(e.div(m, denominator), rate))));
  }
  return updates;
}
