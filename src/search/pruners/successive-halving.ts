import type { OptionValues } from '../../core/options.js';
import { definePruner, KEEP, shown, type Curve, type PruneDecision, type PruneInput, type Pruner } from './pruner.js';

/** The options of asynchronous successive halving (Optuna's SuccessiveHalvingPruner), shared with Hyperband. */
export const rungOptions = {
  minResource: { type: 'integer', description: 'the epochs a trial trains before its first rung', min: 1, default: 1 },
  reductionFactor: {
    type: 'integer',
    description: 'η: a trial passes a rung when it is in the top 1/η of the trials that reached it',
    min: 2,
    default: 4,
  },
} as const;

const options = {
  ...rungOptions,
  minEarlyStoppingRate: {
    type: 'integer',
    description: 's: rung r sits at epoch minResource · η^(s + r)',
    min: 0,
    default: 0,
  },
} as const;

/** The epoch of rung `rung`: minResource · η^(rate + rung). */
export function rungStep(o: OptionValues<typeof rungOptions>, rate: number, rung: number): number {
  return o.minResource * o.reductionFactor ** (rate + rung);
}

/**
 * Asynchronous successive halving as a pruner (Optuna's SuccessiveHalvingPruner): when the trial's
 * latest epoch passes rung r's epoch, its latest value is compared with the values of every other
 * trial in `peers` that reached that epoch (its first value at or after it). It is kept only if it
 * is in the top 1/η of them all, itself included (the best one while fewer than η reached the rung).
 * A NaN value at a rung is pruned.
 */
export function halvingRule(
  o: OptionValues<typeof rungOptions>,
  rate: number,
  label: string,
  peers: (input: PruneInput) => readonly Curve[],
): Pruner {
  return (input: PruneInput): PruneDecision => {
    const { current, direction } = input;
    const last = current[current.length - 1];
    if (last === undefined) return KEEP;
    const previous = current[current.length - 2]?.step ?? 0;
    for (let rung = 0; rungStep(o, rate, rung) <= last.step; rung++) {
      const step = rungStep(o, rate, rung);
      if (step <= previous) continue; // passed before the latest epoch
      if (Number.isNaN(last.value))
        return { prune: true, rung, why: `${label}: rung ${rung} (epoch ${step}): no finite value` };
      const competing = [...valuesReaching(peers(input), step), last.value].sort((a, b) => a - b);
      const kept = Math.max(Math.floor(competing.length / o.reductionFactor), 1);
      const bar = (direction === 'max' ? competing[competing.length - kept] : competing[kept - 1]) as number;
      const promoted = direction === 'max' ? last.value >= bar : last.value <= bar;
      if (!promoted)
        return {
          prune: true,
          rung,
          why: `${label}: rung ${rung} (epoch ${step}): ${shown(last.value)} is not in the top ${kept} of ${competing.length} trials there (the bar is ${shown(bar)})`,
        };
    }
    return KEEP;
  };
}

/** Each curve's first finite value at or after `step` (the value it reached the rung with), for the curves that got there. */
function valuesReaching(curves: readonly Curve[], step: number): number[] {
  const out: number[] = [];
  for (const curve of curves) {
    const point = curve.find((p) => p.step >= step);
    if (point !== undefined && !Number.isNaN(point.value)) out.push(point.value);
  }
  return out;
}

export const successiveHalvingPruner = definePruner({
  name: 'successive-halving',
  description:
    "prune a trial that is not in the top 1/η of the trials that reached the same rung (asynchronous successive halving, Optuna's SuccessiveHalvingPruner)",
  options,
  create: (o) =>
    halvingRule(o, o.minEarlyStoppingRate, 'successive-halving', (input) => input.others.map((t) => t.curve)),
});
