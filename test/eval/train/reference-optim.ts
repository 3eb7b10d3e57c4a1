/**
 * Plain-TypeScript (float64) transcriptions of PyTorch's torch.optim update rules, one scalar weight
 * at a time, as the reference the tensor optimizers are checked against.
 */

/** SGD with momentum μ (dampening 0), Nesterov, weight decay λ as L2 or decoupled (θ ← θ(1 − ηλ)). */
export function referenceSgd(o: { momentum: number; nesterov: boolean; weightDecay: number; decoupled: boolean }) {
  let buffer: number | undefined;
  return (theta: number, grad: number, lr: number): number => {
    let p = theta;
    let g = grad;
    if (o.decoupled) p *= 1 - lr * o.weightDecay;
    else g += o.weightDecay * p;
    if (o.momentum !== 0) {
      buffer = buffer === undefined ? g : o.momentum * buffer + g;
      g = o.nesterov ? g + o.momentum * buffer : buffer;
    }
    return p - lr * g;
  };
}

/** Adam (L2 decay) or AdamW (decoupled decay), bias-corrected as torch.optim.Adam / AdamW. */
export function referenceAdam(o: {
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
  decoupled: boolean;
}) {
  let m = 0;
  let v = 0;
  let t = 0;
  return (theta: number, grad: number, lr: number): number => {
    t += 1;
    let p = theta;
    let g = grad;
    if (o.decoupled) p *= 1 - lr * o.weightDecay;
    else g += o.weightDecay * p;
    m = o.beta1 * m + (1 - o.beta1) * g;
    v = o.beta2 * v + (1 - o.beta2) * g * g;
    const c1 = 1 - o.beta1 ** t;
    const c2 = 1 - o.beta2 ** t;
    return p - (lr / c1) * (m / (Math.sqrt(v) / Math.sqrt(c2) + o.epsilon));
  };
}
