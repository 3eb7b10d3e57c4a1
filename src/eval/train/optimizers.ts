/**
 * Our own optimizer update rules on tf.Variables, so that the learning rate is set per step, weight
 * decay is L2 or decoupled as asked, and every slot variable is ours to dispose. The rules follow
 * PyTorch's `torch.optim` (SGD, Adam, AdamW) term for term:
 *
 * - SGD (Sutskever et al. 2013 momentum; Nesterov as PyTorch writes it):
 *     g ← g + λθ (L2);  b ← μb + g;  d ← g + μb (Nesterov) or b;  θ ← θ − η d
 *   decoupled (SGDW, Loshchilov & Hutter 2019): θ ← θ(1 − ηλ) before the step, λ kept out of b.
 * - Adam (Kingma & Ba 2015), with L2 decay g ← g + λθ:
 *     m ← β1 m + (1 − β1) g;  v ← β2 v + (1 − β2) g²;  θ ← θ − η (m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε)
 * - AdamW (Loshchilov & Hutter 2019, "Decoupled weight decay regularization"): θ ← θ(1 − ηλ), then Adam
 *   without λ in g.
 *
 * NOTE(deviation): decoupled decay is multiplied by the learning rate η (PyTorch's convention), where
 * the paper multiplies λ by the schedule multiplier η_t only; λ_paper = η_max · λ here.
 */
import type { Scalar, Tensor, Variable } from '@tensorflow/tfjs-node';
import { loadTf } from '../../backend/tf.js';

/** The optimizer of a run; unset fields take the defaults of docs/training.md. */
export type OptimizerConfig =
  | {
      readonly kind: 'sgd';
      /** Default 0.9. */
      readonly momentum?: number;
      /** Default true. */
      readonly nesterov?: boolean;
      /** λ; default 5e-4. */
      readonly weightDecay?: number;
      /** Decoupled (SGDW) instead of L2 decay; default false. */
      readonly decoupled?: boolean;
      readonly decayOn?: DecayOn;
    }
  | {
      /** 'adam': L2 decay (PyTorch Adam's weight_decay); 'adamw': decoupled decay. */
      readonly kind: 'adam' | 'adamw';
      /** Defaults 0.9, 0.999, 1e-8. */
      readonly beta1?: number;
      readonly beta2?: number;
      readonly epsilon?: number;
      /** λ; default 0 for adam, 0.01 for adamw. */
      readonly weightDecay?: number;
      readonly decayOn?: DecayOn;
    };

/** Which weights decay: 'kernels' (default: weights whose name ends with "kernel"; not biases, BN γ/β) or 'all'. */
export type DecayOn = 'kernels' | 'all';

/** One trainable weight and whether weight decay applies to it. */
export type Param = { readonly variable: Variable; readonly decay: boolean };

/** An optimizer over a fixed list of parameters. */
export interface Optimizer {
  /** Updates every parameter with its gradient (`undefined`: no gradient, left alone) at learning rate `lr`. */
  step(grads: readonly (Tensor | undefined)[], lr: number): void;
  /** Number of slot variables (momentum buffers, moments) it holds. */
  readonly slotCount: number;
  /** The slot variables, for checkpoints: SGD's momentum buffers, Adam's m then v, each in parameter order. */
  readonly slots: readonly Variable[];
  /**
   * The slots' names after their weight's, one per block of `slots` (SGD's `momentum`, Adam's `m`
   * and `v`): the compiled graph's names for the same slots (src/eval/compile/optimizer.ts).
   */
  readonly slotSuffixes: readonly string[];
  /** Updates taken so far (Adam's bias correction counts them); a checkpoint restores it. */
  steps: number;
  /** Frees every slot variable. */
  dispose(): void;
}

/** True if weight decay applies to a weight of this name under the rule `on`. */
export function decays(name: string, on: DecayOn): boolean {
  return on === 'all' || /kernel(_\d+)?$/.test(name);
}

/** An optimizer config with every default filled in (docs/training.md). */
export type ResolvedOptimizer =
  Required<Extract<OptimizerConfig, { kind: 'sgd' }>> | Required<Extract<OptimizerConfig, { kind: 'adam' | 'adamw' }>>;

/** Fills in the defaults of an optimizer config. */
export function withOptimizerDefaults(config: OptimizerConfig): ResolvedOptimizer {
  const decayOn = config.decayOn ?? 'kernels';
  if (config.kind === 'sgd') {
    const { momentum = 0.9, nesterov = true, weightDecay = 5e-4, decoupled = false } = config;
    return { kind: 'sgd', momentum, nesterov, weightDecay, decoupled, decayOn };
  }
  const { beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, weightDecay = config.kind === 'adamw' ? 0.01 : 0 } = config;
  return { kind: config.kind, beta1, beta2, epsilon, weightDecay, decayOn };
}

/** The optimizer of a config for the given parameters. */
export function createOptimizer(config: OptimizerConfig, params: readonly Param[]): Optimizer {
  const c = withOptimizerDefaults(config);
  if (c.kind === 'sgd') return new Sgd(params, c.momentum, c.nesterov, c.weightDecay, c.decoupled);
  return new Adam(params, c.beta1, c.beta2, c.epsilon, c.weightDecay, c.kind === 'adamw');
}

function zerosLike(variable: Variable): Variable {
  const tf = loadTf();
  return tf.tidy(() => tf.variable(tf.zerosLike(variable), false));
}

/** θ(1 − ηλ) for decoupled decay, or g + λθ for L2; unchanged when the weight does not decay. */
function decayed(p: Param, g: Tensor, lr: number, lambda: number, decoupled: boolean): Tensor {
  const tf = loadTf();
  if (!p.decay || lambda === 0) return g;
  if (decoupled) {
    p.variable.assign(tf.mul(p.variable, 1 - lr * lambda));
    return g;
  }
  return tf.add(g, tf.mul(p.variable, lambda));
}

class Sgd implements Optimizer {
  private readonly buffers: Variable[];
  steps = 0;

  constructor(
    private readonly params: readonly Param[],
    private readonly momentum: number,
    private readonly nesterov: boolean,
    private readonly lambda: number,
    private readonly decoupled: boolean,
  ) {
    this.buffers = momentum > 0 ? params.map((p) => zerosLike(p.variable)) : [];
  }

  get slotSuffixes(): readonly string[] {
    return this.buffers.length > 0 ? ['momentum'] : [];
  }

  get slotCount(): number {
    return this.buffers.length;
  }

  get slots(): readonly Variable[] {
    return this.buffers;
  }

  step(grads: readonly (Tensor | undefined)[], lr: number): void {
    const tf = loadTf();
    this.steps += 1;
    tf.tidy(() => {
      this.params.forEach((p, i) => {
        const grad = grads[i];
        if (grad === undefined) return;
        let d = decayed(p, grad, lr, this.lambda, this.decoupled);
        const buffer = this.buffers[i];
        if (buffer !== undefined) {
          buffer.assign(tf.add(tf.mul(buffer, this.momentum), d));
          d = this.nesterov ? tf.add(d, tf.mul(buffer, this.momentum)) : buffer;
        }
        p.variable.assign(tf.sub(p.variable, tf.mul(d, lr)));
      });
    });
  }

  dispose(): void {
    for (const b of this.buffers) b.dispose();
    this.buffers.length = 0;
  }
}

class Adam implements Optimizer {
  private readonly m: Variable[];
  private readonly v: Variable[];
  steps = 0;

  constructor(
    private readonly params: readonly Param[],
    private readonly beta1: number,
    private readonly beta2: number,
    private readonly epsilon: number,
    private readonly lambda: number,
    private readonly decoupled: boolean,
  ) {
    this.m = params.map((p) => zerosLike(p.variable));
    this.v = params.map((p) => zerosLike(p.variable));
  }

  get slotCount(): number {
    return this.m.length + this.v.length;
  }

  get slots(): readonly Variable[] {
    return [...this.m, ...this.v];
  }

  readonly slotSuffixes = ['m', 'v'] as const;

  step(grads: readonly (Tensor | undefined)[], lr: number): void {
    const tf = loadTf();
    this.steps += 1;
    const c1 = 1 - this.beta1 ** this.steps;
    const c2 = 1 - this.beta2 ** this.steps;
    tf.tidy(() => {
      this.params.forEach((p, i) => {
        const grad = grads[i];
        const m = this.m[i];
        const v = this.v[i];
        if (grad === undefined || m === undefined || v === undefined) return;
        const g = decayed(p, grad, lr, this.lambda, this.decoupled);
        m.assign(tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1)));
        v.assign(tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2)));
        const denominator: Tensor = tf.add(tf.div(tf.sqrt(v), Math.sqrt(c2)), this.epsilon);
        p.variable.assign(tf.sub(p.variable, tf.mul(tf.div(m, denominator), lr / c1) as Scalar));
      });
    });
  }

  dispose(): void {
    for (const s of [...this.m, ...this.v]) s.dispose();
    this.m.length = 0;
    this.v.length = 0;
  }
}
