import type { OptionsSchema } from '../core/options.js';

/**
 * A one-shot strategy (docs/conventions.md, *One-shot strategies have their own contract*): not
 * ask/tell. It trains one supernet in one worker and ends with derived architectures, which then go
 * through the ordinary trial path. The entry holds what the registry, config validation and
 * `nas list` need; src/run runs it.
 */
export interface OneShotEntry<O extends OptionsSchema = OptionsSchema, N extends string = string> {
  readonly name: N;
  readonly kind: 'one-shot';
  readonly description: string;
  readonly options: O;
}

/** Returns its argument, typed with its literal name and options schema (a config's `strategy` is typed from them). */
export function defineOneShot<const N extends string, const O extends OptionsSchema>(
  entry: OneShotEntry<O, N>,
): OneShotEntry<O, N> {
  return entry;
}
