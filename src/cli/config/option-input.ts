import type { OptionSpec, OptionsSchema } from '../../core/options.js';

// The type a user writes for a registry entry's options, derived from its options schema (declared
// `as const`): enums and subsets become unions of their choices; options without a default are
// required, the others optional.

type InputOf<O extends OptionSpec> = O extends { readonly type: 'integer' | 'number' }
  ? number
  : O extends { readonly type: 'seed' }
    ? string | number
    : O extends { readonly type: 'path' }
      ? string
      : O extends { readonly type: 'boolean' }
        ? boolean
        : O extends { readonly type: 'enum'; readonly choices: readonly (infer C)[] }
          ? C
          : O extends { readonly type: 'subset'; readonly choices: readonly (infer C)[] }
            ? readonly C[]
            : O extends { readonly type: 'integers' | 'numbers' }
              ? readonly number[]
              : never;

type RequiredKeys<S extends OptionsSchema> = {
  [K in keyof S]: S[K] extends { readonly default: unknown } ? never : K;
}[keyof S];
type OptionalKeys<S extends OptionsSchema> = Exclude<keyof S, RequiredKeys<S>>;

/** What a config file may give as the options of an entry with schema `S` (literal choices; required = no default). */
export type OptionsInput<S extends OptionsSchema> = { readonly [K in RequiredKeys<S>]: InputOf<S[K]> } & {
  readonly [K in OptionalKeys<S>]?: InputOf<S[K]>;
};

type OptionsField<S extends OptionsSchema> = [keyof S] extends [never]
  ? { readonly options?: Record<string, never> }
  : [RequiredKeys<S>] extends [never]
    ? { readonly options?: OptionsInput<S> }
    : { readonly options: OptionsInput<S> };

/**
 * What a config file writes for one entry of a registry (`E`, a union of the registered entries):
 * its name, and its options typed from that entry's schema (required when an option has no default).
 */
export type EntryInput<E> = E extends {
  readonly name: infer N extends string;
  readonly options: infer S extends OptionsSchema;
}
  ? { readonly name: N } & OptionsField<S>
  : never;
