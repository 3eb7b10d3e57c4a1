import { resolveOptions } from '../core/options.js';
import { OptionsError } from '../core/errors.js';
import { regularizedEvolution } from './evolution.js';
import { localSearch } from './local-search.js';
import { randomSearch } from './random.js';
import { reinforce } from './reinforce/index.js';
import { tpe } from './tpe.js';
import { darts } from './darts/index.js';
import type { OneShotEntry } from './oneshot.js';
import type { Strategy, StrategyContext, StrategyEntry } from './strategy.js';

const multiTrial = [randomSearch, regularizedEvolution, reinforce, localSearch, tpe] as const;
const oneShot = [darts] as const;

/** Every multi-trial strategy, in the order `nas list strategies` shows them. */
export const STRATEGIES: readonly StrategyEntry[] = multiTrial;

/** Every one-shot strategy (listed after the multi-trial ones). */
export const ONE_SHOT_STRATEGIES: readonly OneShotEntry[] = oneShot;

/** The registered strategies with their literal names and options schemas: a config's `strategy` is typed from them. */
export type RegisteredStrategy = (typeof multiTrial)[number] | (typeof oneShot)[number];

/** The one-shot strategy `name`, if it is one. */
export function findOneShot(name: string): OneShotEntry | undefined {
  return ONE_SHOT_STRATEGIES.find((s) => s.name === name);
}

/** The registered multi-trial strategy `name`, or an error listing the known ones. */
export function findStrategy(name: string): StrategyEntry {
  const entry = STRATEGIES.find((s) => s.name === name);
  if (entry === undefined) {
    const oneShot = findOneShot(name) === undefined ? '' : ` ("${name}" is one-shot: it has no ask/tell strategy)`;
    throw new OptionsError(
      `unknown strategy "${name}"${oneShot}`,
      `use one of: ${STRATEGIES.map((s) => s.name).join(', ')}`,
    );
  }
  return entry;
}

/** A strategy from its registered name and options (checked against its schema, defaults filled). */
export function createStrategy(
  name: string,
  context: StrategyContext,
  options: Readonly<Record<string, unknown>> = {},
): Strategy {
  const entry = findStrategy(name);
  return entry.create(context, resolveOptions(entry.options, options, `strategy "${name}"`));
}
