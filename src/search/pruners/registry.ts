import { resolveOptions } from '../../core/options.js';
import { OptionsError } from '../../core/errors.js';
import { curvePruner } from './curve.js';
import { hyperbandPruner } from './hyperband.js';
import { medianPruner } from './median.js';
import { patiencePruner } from './patience.js';
import { percentilePruner } from './percentile.js';
import { successiveHalvingPruner } from './successive-halving.js';
import type { Pruner, PrunerEntry } from './pruner.js';

const registered = [
  medianPruner,
  percentilePruner,
  patiencePruner,
  successiveHalvingPruner,
  hyperbandPruner,
  curvePruner,
] as const;

/** Every pruner, in the order docs and listings show them. */
export const PRUNERS: readonly PrunerEntry[] = registered;

/** The registered pruners with their literal names and options schemas: a config's `pruner` is typed from them. */
export type RegisteredPruner = (typeof registered)[number];

/** The registered pruner `name`, or an error listing the known ones. */
export function findPruner(name: string): PrunerEntry {
  const entry = PRUNERS.find((p) => p.name === name);
  if (entry === undefined)
    throw new OptionsError(`unknown pruner "${name}"`, `use one of: ${PRUNERS.map((p) => p.name).join(', ')}`);
  return entry;
}

/** A pruner from its registered name and options (checked against its schema, defaults filled). */
export function createPruner(name: string, options: Readonly<Record<string, unknown>> = {}): Pruner {
  const entry = findPruner(name);
  return entry.create(resolveOptions(entry.options, options, `pruner "${name}"`));
}
