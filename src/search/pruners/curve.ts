import { definePruner, KEEP, shown, type PruneInput } from './pruner.js';
import { fitPowerLaw, predictAt } from './power-law-fit.js';

const options = {
  k: {
    type: 'integer',
    description: 'compare with the k-th best final value of the COMPLETE trials',
    min: 1,
    default: 3,
  },
  margin: {
    type: 'number',
    description: 'prune only when the prediction misses that value by more than this (in units of the metric)',
    min: 0,
    default: 0.01,
  },
  nWarmupSteps: {
    type: 'integer',
    description: 'no judging before this many epochs (the fit needs 3)',
    min: 3,
    default: 3,
  },
} as const;

/**
 * Learning-curve extrapolation (NNI's curve-fitting assessor, with one saturating family): fit
 * y = c + b · t^(−α) by least squares to the trial's curve so far and predict its value at its last
 * epoch; prune when that prediction is worse than the k-th best final value of the COMPLETE trials
 * by more than `margin`. Not judged at the last epoch itself (nothing left to save).
 */
export const curvePruner = definePruner({
  name: 'curve',
  description:
    'prune a trial whose curve, extrapolated by a fitted power law to its last epoch, ends worse than the k-th best complete trial by more than a margin',
  options,
  create:
    ({ k, margin, nWarmupSteps }) =>
    ({ direction, current, completed, finalStep }: PruneInput) => {
      const last = current[current.length - 1];
      if (last === undefined || current.length < nWarmupSteps || last.step >= finalStep) return KEEP;
      const finals = completed
        .map((curve) => curve[curve.length - 1]?.value ?? Number.NaN)
        .filter((v) => !Number.isNaN(v))
        .sort((a, b) => (direction === 'max' ? b - a : a - b));
      const bar = finals[k - 1];
      if (bar === undefined) return KEEP;
      if (current.filter((p) => Number.isFinite(p.value)).length < 3)
        return { prune: true, why: `curve: fewer than 3 finite values up to epoch ${last.step}` };
      const fit = fitPowerLaw(current);
      const predicted = predictAt(fit, finalStep);
      const worse = direction === 'max' ? predicted + margin < bar : predicted - margin > bar;
      if (!worse) return KEEP;
      return {
        prune: true,
        why: `curve: predicted ${shown(predicted)} at epoch ${finalStep} (fit ${shown(fit.c)} ${fit.b < 0 ? '-' : '+'} ${shown(Math.abs(fit.b))}·t^-${shown(fit.alpha)}, rms ${shown(fit.rms)}) is ${direction === 'max' ? 'below' : 'above'} ${shown(bar)}, the ${ordinal(k)} best of ${finals.length} complete trials, by more than ${shown(margin)}`,
      };
    },
});

function ordinal(k: number): string {
  const tens = k % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][k % 10] ?? 'th');
  return `${k}${suffix}`;
}
