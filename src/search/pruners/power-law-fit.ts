import type { Curve } from './pruner.js';

/** A saturating curve y(t) = c + b · t^(−α): it tends to c as t grows (rising when b < 0, falling when b > 0). */
export interface PowerLaw {
  readonly c: number;
  readonly b: number;
  readonly alpha: number;
  /** The root mean square of the fit's residuals on the points it was fitted to. */
  readonly rms: number;
}

/** The exponents tried: 0.01, 0.02, …, 3. */
const ALPHAS = Array.from({ length: 300 }, (_, i) => (i + 1) / 100);

/**
 * The least-squares fit of y = c + b · t^(−α) (the "pow3" family of learning-curve extrapolation) to
 * the finite points of `curve`: for each α of a fixed grid, c and b are the linear least-squares
 * solution, and the α with the smallest squared error wins (the first on ties). Needs two distinct
 * steps; no solver, no dependency, and the same curve always gives the same fit.
 */
export function fitPowerLaw(curve: Curve): PowerLaw {
  const points = curve.filter((p) => Number.isFinite(p.value));
  const steps = new Set(points.map((p) => p.step));
  if (steps.size < 2) throw new RangeError(`a power law needs points at two distinct steps, got ${steps.size}`);
  let best: PowerLaw | undefined;
  let bestError = Number.POSITIVE_INFINITY;
  for (const alpha of ALPHAS) {
    const xs = points.map((p) => p.step ** -alpha);
    const ys = points.map((p) => p.value);
    const mx = mean(xs);
    const my = mean(ys);
    let sxy = 0;
    let sxx = 0;
    for (const [i, x] of xs.entries()) {
      sxy += (x - mx) * ((ys[i] as number) - my);
      sxx += (x - mx) ** 2;
    }
    const b = sxy / sxx;
    const c = my - b * mx;
    const error = xs.reduce((sum, x, i) => sum + (c + b * x - (ys[i] as number)) ** 2, 0);
    if (error < bestError) {
      bestError = error;
      best = { c, b, alpha, rms: Math.sqrt(error / points.length) };
    }
  }
  return best as PowerLaw;
}

/** The fitted curve's value at step `t`. */
export function predictAt(fit: PowerLaw, t: number): number {
  return fit.c + fit.b * t ** -fit.alpha;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
