// The categorical Parzen estimator of TPE (Bergstra, Bardenet, Bengio & Kégl 2011, "Algorithms for
// Hyper-Parameter Optimization", Sec. 4), with Optuna's kernels (`_ParzenEstimator`, Watanabe 2023,
// "Tree-Structured Parzen Estimator: Understanding Its Algorithm Components"): one kernel per
// observation, `priorWeight / (n + 1)` on every choice plus 1 on the observed one, normalised, and
// a uniform prior kernel of weight `priorWeight`.
import type { Rng } from '../core/rng.js';

/** A mixture over index vectors of categorical decisions with `choices[d]` options each. */
export class CategoricalParzen {
  /** Mixture weights, the prior kernel last; they sum to 1. */
  private readonly weights: number[];
  /** Per decision, per kernel, the probability of each choice. */
  private readonly kernels: Float64Array[][];
  /** Per decision, the marginal probability of each choice. */
  private readonly marginals: Float64Array[];

  constructor(
    choices: readonly number[],
    observations: readonly (readonly number[])[],
    obsWeights: readonly number[],
    priorWeight: number,
  ) {
    const n = observations.length;
    const raw = [...obsWeights, priorWeight];
    const total = raw.reduce((a, b) => a + b, 0);
    this.weights = raw.map((w) => w / total);
    const a = priorWeight / (n + 1);
    this.kernels = choices.map((k, d) => [
      ...observations.map((obs) =>
        Float64Array.from({ length: k }, (_, c) => (a + (obs[d] === c ? 1 : 0)) / (1 + k * a)),
      ),
      new Float64Array(k).fill(1 / k),
    ]);
    this.marginals = this.kernels.map((perKernel, d) => {
      const m = new Float64Array(choices[d] as number);
      perKernel.forEach((p, j) => p.forEach((v, c) => (m[c] = (m[c] as number) + (this.weights[j] as number) * v)));
      return m;
    });
  }

  /** A draw: one kernel from the mixture, then every decision from it (`joint`), or every decision from its marginal. */
  sample(rng: Rng, joint: boolean): number[] {
    if (!joint) return this.marginals.map((m) => draw(m, rng));
    const j = draw(this.weights, rng);
    return this.kernels.map((perKernel) => draw(perKernel[j] as Float64Array, rng));
  }

  /** Log density of the joint mixture (`joint`) or of the product of the marginals. */
  logPdf(x: readonly number[], joint: boolean): number {
    if (!joint) return this.marginals.reduce((acc, m, d) => acc + Math.log(m[x[d] as number] as number), 0);
    const terms = this.weights.map(
      (w, j) =>
        Math.log(w) +
        this.kernels.reduce(
          (acc, perKernel, d) => acc + Math.log((perKernel[j] as Float64Array)[x[d] as number] as number),
          0,
        ),
    );
    const top = Math.max(...terms);
    return top + Math.log(terms.reduce((acc, t) => acc + Math.exp(t - top), 0));
  }
}

/** An index drawn with probability proportional to `p`. */
function draw(p: ArrayLike<number>, rng: Rng): number {
  let total = 0;
  for (let i = 0; i < p.length; i++) total += p[i] as number;
  let u = rng.next() * total;
  for (let i = 0; i < p.length; i++) {
    u -= p[i] as number;
    if (u < 0) return i;
  }
  return p.length - 1;
}
