import { definePruner, type PruneInput, type Pruner } from './pruner.js';
import { halvingRule, rungOptions } from './successive-halving.js';

const options = {
  ...rungOptions,
  reductionFactor: { ...rungOptions.reductionFactor, default: 3 },
  maxResource: {
    type: 'integer',
    description: "the epochs of a fully trained trial (0: the trial's own epochs, train.epochs)",
    min: 0,
    default: 0,
  },
} as const;

/**
 * The brackets of Hyperband (Optuna's HyperbandPruner): bracket i is successive halving with
 * minEarlyStoppingRate i, for i in 0..n−1, n = ⌊log_η(maxResource / minResource)⌋ + 1 (at least 1).
 * Bracket i gets ⌈n · η^(n−1−i) / (n − i)⌉ trials of every cycle of numbers: trial number k goes to
 * the bracket that k mod (their sum) falls in, counting bracket 0's share first. (Optuna hashes the
 * study name with the number instead; a plain modulus keeps the choice readable and reproducible.)
 */
export function bracketShares(minResource: number, maxResource: number, eta: number): number[] {
  let n = 1;
  while (minResource * eta ** n <= maxResource) n++;
  return Array.from({ length: n }, (_, i) => Math.ceil((n * eta ** (n - 1 - i)) / (n - i)));
}

/** The bracket of trial `number` (see {@link bracketShares}). */
export function bracketOf(number: number, shares: readonly number[]): number {
  let left = number % shares.reduce((a, b) => a + b, 0);
  for (const [i, share] of shares.entries()) {
    left -= share;
    if (left < 0) return i;
  }
  return shares.length - 1;
}

export const hyperbandPruner = definePruner({
  name: 'hyperband',
  description:
    "successive halving in brackets of different aggressiveness, a trial's bracket picked from its number (Optuna's HyperbandPruner)",
  options,
  create:
    (o): Pruner =>
    (input: PruneInput) => {
      const shares = bracketShares(
        o.minResource,
        o.maxResource === 0 ? input.finalStep : o.maxResource,
        o.reductionFactor,
      );
      const bracket = bracketOf(input.number, shares);
      const rule = halvingRule(o, bracket, `hyperband bracket ${bracket}`, ({ others }) =>
        others.filter((t) => bracketOf(t.number, shares) === bracket).map((t) => t.curve),
      );
      return rule(input);
    },
});
