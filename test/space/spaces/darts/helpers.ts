import { resolveOptions } from '../../../../src/core/options.js';
import type { ResolvedArch } from '../../../../src/space/index.js';
import { createDarts, dartsSpace, type DartsSpace } from '../../../../src/space/spaces/darts/index.js';

/** The darts space with these options over the defaults. */
export const darts = (given: Record<string, unknown> = {}): DartsSpace =>
  createDarts(resolveOptions(dartsSpace.options, given, 'darts'));

/** Trainable and non-trainable parameters and MACs of the resolved nodes whose id starts with `prefix`. */
export function totals(arch: ResolvedArch, prefix: string): { trainable: number; nonTrainable: number; macs: number } {
  const nodes = arch.nodes.filter((n) => n.id.startsWith(prefix));
  return {
    trainable: nodes.reduce((s, n) => s + n.params.trainable, 0),
    nonTrainable: nodes.reduce((s, n) => s + n.params.nonTrainable, 0),
    macs: nodes.reduce((s, n) => s + n.macs, 0),
  };
}
