import { describe, expect, it } from 'vitest';
import { createPruner, fitPowerLaw, predictAt, type Curve } from '../../../src/search/pruners/index.js';
import { curve } from './input.js';

/** y(t) = c + b · t^(−α) at epochs 1..n. */
const powerCurve = (c: number, b: number, alpha: number, n: number): Curve =>
  Array.from({ length: n }, (_, i) => ({ step: i + 1, value: c + b * (i + 1) ** -alpha }));
/** Complete trials whose final values are 0.95, 0.9, 0.85, 0.8 (the 3rd best is 0.85). */
const completed = [0.95, 0.9, 0.85, 0.8].map((v) => curve(v - 0.2, v - 0.1, v));
const input = (current: Curve, finalStep = 10, direction: 'max' | 'min' = 'max', done = completed) => ({
  direction,
  current,
  completed: done,
  number: 4,
  others: [],
  finalStep,
});

describe('power-law fit', () => {
  it('recovers a curve of the family exactly, and predicts it', () => {
    const fit = fitPowerLaw(powerCurve(0.9, -0.5, 0.5, 4));
    expect(fit.alpha).toBe(0.5);
    expect(fit.c).toBeCloseTo(0.9, 12);
    expect(fit.b).toBeCloseTo(-0.5, 12);
    expect(fit.rms).toBeLessThan(1e-12);
    expect(predictAt(fit, 10)).toBeCloseTo(0.9 - 0.5 / Math.sqrt(10), 12);
  });

  it('needs two distinct steps', () => {
    expect(() => fitPowerLaw(curve(0.5))).toThrow('a power law needs points at two distinct steps, got 1');
  });
});

describe('curve pruner (k = 3, margin 0.01)', () => {
  const p = createPruner('curve', {});

  it('prunes when the prediction at the last epoch misses the k-th best final value by more than the margin', () => {
    // 0.9 − 0.5/√10 = 0.7419: below 0.85 − 0.01.
    const decision = p(input(powerCurve(0.9, -0.5, 0.5, 3)));
    expect(decision.prune).toBe(true);
    expect(decision.prune && decision.why).toMatch(
      /^curve: predicted 0\.7419 at epoch 10 \(fit 0\.9000 - 0\.5000·t\^-0\.5000, rms \S+\) is below 0\.8500, the 3rd best of 4 complete trials, by more than 0\.01000$/,
    );
    // 1 − 0.5/√10 = 0.8419: within the margin of 0.85.
    expect(p(input(powerCurve(1, -0.5, 0.5, 3))).prune).toBe(false);
  });

  it('takes a wider margin as more doubt', () => {
    expect(createPruner('curve', { margin: 0.1 })(input(powerCurve(0.9, -0.5, 0.5, 3))).prune).toBe(true);
    expect(createPruner('curve', { margin: 0.11 })(input(powerCurve(0.9, -0.5, 0.5, 3))).prune).toBe(false);
  });

  it('waits for nWarmupSteps epochs and k complete trials, and does not judge the last epoch', () => {
    const bad = powerCurve(0.5, -0.5, 0.5, 4);
    expect(p(input(bad.slice(0, 2))).prune).toBe(false);
    expect(createPruner('curve', { nWarmupSteps: 4 })(input(bad.slice(0, 3))).prune).toBe(false);
    expect(createPruner('curve', { nWarmupSteps: 4 })(input(bad)).prune).toBe(true);
    expect(p(input(bad, 10, 'max', completed.slice(0, 2))).prune).toBe(false);
    expect(p(input(bad, 4)).prune).toBe(false);
  });

  it('for min, prunes a predicted final value above the k-th lowest', () => {
    const losses = [0.2, 0.22, 0.25, 0.3].map((v) => curve(v + 0.2, v + 0.1, v));
    const loss = powerCurve(0.1, 0.5, 0.5, 3); // predicted 0.1 + 0.5/√10 = 0.2581 at epoch 10
    expect(p(input(loss, 10, 'min', losses)).prune).toBe(false); // 0.2581 − 0.01 is not above 0.25
    expect(createPruner('curve', { k: 2 })(input(loss, 10, 'min', losses))).toMatchObject({ prune: true });
  });

  it('refuses a warm-up shorter than the fit needs, naming the option', () => {
    expect(() => createPruner('curve', { nWarmupSteps: 2 })).toThrow(/nWarmupSteps: expected/);
  });
});
