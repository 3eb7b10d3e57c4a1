// Adam (Kingma & Ba 2015, Algorithm 1) over a list of plain tensors, written out so that its state
// (step, first and second moments) is plain data for a strategy snapshot.
import type { Tensor } from '@tensorflow/tfjs-node';
import { loadTf } from '../../backend/tf.js';

/** Adam's state as numbers: the step count and the moments of every parameter. */
export type AdamState = {
  readonly step: number;
  readonly m: readonly (readonly number[])[];
  readonly v: readonly (readonly number[])[];
};

/** Adam with bias correction; `apply` returns the updated parameters and disposes the old ones. */
export class Adam {
  private readonly tf = loadTf();
  private step = 0;
  private m: Tensor[];
  private v: Tensor[];

  constructor(
    private readonly lr: number,
    shapes: readonly (readonly number[])[],
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly eps = 1e-8,
  ) {
    this.m = shapes.map((s) => this.tf.zeros([...s]));
    this.v = shapes.map((s) => this.tf.zeros([...s]));
  }

  apply(params: readonly Tensor[], grads: readonly Tensor[]): Tensor[] {
    const tf = this.tf;
    this.step++;
    const c1 = 1 - this.beta1 ** this.step;
    const c2 = 1 - this.beta2 ** this.step;
    const next = tf.tidy(() =>
      params.map((p, i) => {
        const g = grads[i] as Tensor;
        const m = tf.add(tf.mul(this.m[i] as Tensor, this.beta1), tf.mul(g, 1 - this.beta1));
        const v = tf.add(tf.mul(this.v[i] as Tensor, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        const step = tf.div(tf.mul(m, this.lr / c1), tf.add(tf.sqrt(tf.div(v, c2)), this.eps));
        return [tf.sub(p, step), m, v] as const;
      }),
    );
    tf.dispose([...params, ...this.m, ...this.v]);
    this.m = next.map((x) => x[1]);
    this.v = next.map((x) => x[2]);
    return next.map((x) => x[0]);
  }

  state(): AdamState {
    return { step: this.step, m: this.m.map(toNumbers), v: this.v.map(toNumbers) };
  }

  load(state: AdamState): void {
    const shapes = this.m.map((t) => t.shape);
    this.tf.dispose([...this.m, ...this.v]);
    this.step = state.step;
    this.m = state.m.map((a, i) => this.tf.tensor([...a], shapes[i]));
    this.v = state.v.map((a, i) => this.tf.tensor([...a], shapes[i]));
  }

  dispose(): void {
    this.tf.dispose([...this.m, ...this.v]);
  }
}

/** A float32 tensor's values as JSON numbers; 9 significant digits restore every float32 exactly. */
export function toNumbers(t: Tensor): number[] {
  return Array.from(t.dataSync(), (x) => Number(x.toPrecision(9)));
}
