import { UserError } from '../../core/errors.js';
import { resolveOptions } from '../../core/options.js';
import type { SearchSpace, SpaceEntry } from '../search-space.js';
import { dartsSpace } from './darts/index.js';
import { layerwiseSpace } from './layerwise/index.js';
import { macroSpace } from './macro/index.js';
import { nb201Space } from './nb201/index.js';

const registered = [nb201Space, dartsSpace, macroSpace, layerwiseSpace] as const;

/** Every search space, in the order `nas list spaces` shows them. */
export const SPACES: readonly SpaceEntry[] = registered;

/** The registered spaces with their literal names and options schemas: a config's `space` is typed from them. */
export type RegisteredSpace = (typeof registered)[number];

/** The registry entry called `name`; an unknown name is a {@link UserError} listing the known ones. */
export function findSpace(name: string): SpaceEntry {
  const entry = SPACES.find((s) => s.name === name);
  if (entry === undefined) {
    throw new UserError(
      'UNKNOWN_SPACE',
      `unknown search space ${JSON.stringify(name)}; known: ${SPACES.map((s) => s.name).join(', ')}`,
      'docs/spaces.md describes each space and its options',
    );
  }
  return entry;
}

/** Space `name` built from `given` options (checked, defaults filled; every problem in one error). */
export function createSpace(name: string, given: Readonly<Record<string, unknown>> = {}): SearchSpace {
  const entry = findSpace(name);
  return entry.create(resolveOptions(entry.options, given, `search space "${name}"`));
}
