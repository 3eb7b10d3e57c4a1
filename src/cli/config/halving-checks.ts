import { checkOptions } from '../../core/options.js';
import { findOneShot, halvingOptions, rungs } from '../../search/index.js';
import type { Problem } from './problems.js';

/** Problems of `strategy.halving` (successive halving / Hyperband): its options, then min ≤ max. */
export function halvingProblems(strategy: unknown): Problem[] {
  const given =
    typeof strategy === 'object' && strategy !== null ? (strategy as { halving?: unknown }).halving : undefined;
  if (typeof given !== 'object' || given === null) return [];
  const name = (strategy as { name?: unknown }).name;
  if (typeof name === 'string' && findOneShot(name) !== undefined) {
    return [
      {
        path: 'strategy.halving',
        message: `expected nothing: "${name}" is one-shot (it trains one supernet; halving applies to multi-trial strategies)`,
      },
    ];
  }
  const { values, problems } = checkOptions(halvingOptions, given as Readonly<Record<string, unknown>>);
  if (problems.length > 0) return problems.map((p) => ({ path: `strategy.halving.${p.key}`, message: p.message }));
  try {
    rungs(values);
    return [];
  } catch (error) {
    return [{ path: 'strategy.halving', message: (error as Error).message }];
  }
}
