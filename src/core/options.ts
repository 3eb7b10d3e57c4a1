import { resolve } from 'node:path';
import { OptionsError } from './errors.js';

/** One option of a registry entry: its type, a one-line description, bounds and default. */
export type OptionSpec =
  | {
      readonly type: 'integer' | 'number';
      readonly description: string;
      readonly min?: number;
      readonly max?: number;
      readonly default?: number;
    }
  | { readonly type: 'seed'; readonly description: string; readonly default?: string | number }
  | { readonly type: 'path'; readonly description: string; readonly default?: string }
  | { readonly type: 'boolean'; readonly description: string; readonly default?: boolean }
  | {
      readonly type: 'enum';
      readonly description: string;
      readonly choices: readonly string[];
      readonly default?: string;
    }
  | {
      readonly type: 'subset';
      readonly description: string;
      readonly choices: readonly string[];
      readonly default?: readonly string[];
    }
  | {
      readonly type: 'integers';
      readonly description: string;
      readonly min?: number;
      readonly default?: readonly number[];
    }
  | {
      readonly type: 'numbers';
      readonly description: string;
      readonly min?: number;
      readonly max?: number;
      readonly default?: readonly number[];
    };

/** The options an entry takes, by name. */
export type OptionsSchema = Readonly<Record<string, OptionSpec>>;

type ValueOf<O extends OptionSpec> = O['type'] extends 'integer' | 'number'
  ? number
  : O['type'] extends 'seed'
    ? string | number
    : O['type'] extends 'boolean'
      ? boolean
      : O['type'] extends 'subset'
        ? readonly string[]
        : O['type'] extends 'integers' | 'numbers'
          ? readonly number[]
          : string;

/** Resolved options: every option present, defaults filled, paths absolute. */
export type OptionValues<S extends OptionsSchema> = { readonly [K in keyof S]: ValueOf<S[K]> };

/** One problem of given options: the option's name and what is wrong with it ("expected …, got …"). */
export type OptionProblem = { readonly key: string; readonly message: string };

/**
 * Checks `given` against `schema` and fills defaults, making paths absolute (from the working
 * directory); returns every problem instead of throwing (config validation merges them with its own).
 */
export function checkOptions<S extends OptionsSchema>(
  schema: S,
  given: Readonly<Record<string, unknown>>,
): { values: OptionValues<S>; problems: OptionProblem[] } {
  const problems: OptionProblem[] = [];
  const known = Object.keys(schema);
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(schema, key))
      problems.push({ key, message: `unknown option (known: ${known.join(', ') || 'none'})` });
  }
  const values: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(schema)) {
    const value = given[key] === undefined ? spec.default : given[key];
    const problem = value === undefined ? `required (${spec.description}), got nothing` : check(spec, value);
    if (problem !== undefined) problems.push({ key, message: problem });
    else values[key] = spec.type === 'path' ? resolve(value as string) : value;
  }
  return { values: values as OptionValues<S>, problems };
}

/**
 * Checks `given` against `schema`, fills defaults and makes paths absolute (from the working
 * directory). Throws one {@link OptionsError} listing every problem, each with what was expected
 * and what was given; `owner` names the entry in its message.
 */
export function resolveOptions<S extends OptionsSchema>(
  schema: S,
  given: Readonly<Record<string, unknown>>,
  owner: string,
): OptionValues<S> {
  const { values, problems } = checkOptions(schema, given);
  if (problems.length > 0) {
    const list = problems.map((p) => `\n  • ${p.key}: ${p.message}`).join('');
    throw new OptionsError(
      `${owner} has invalid options (${problems.length} problem${problems.length === 1 ? '' : 's'}):${list}`,
    );
  }
  return values;
}

function check(spec: OptionSpec, value: unknown): string | undefined {
  const got = `got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`;
  switch (spec.type) {
    case 'path':
      return typeof value === 'string' && value.length > 0 ? undefined : `expected a path (non-empty string), ${got}`;
    case 'seed':
      return typeof value === 'string' || Number.isSafeInteger(value)
        ? undefined
        : `expected a seed (string or integer), ${got}`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `expected true or false, ${got}`;
    case 'enum':
      return spec.choices.includes(value as string) ? undefined : `expected one of ${spec.choices.join(', ')}, ${got}`;
    case 'subset': {
      const ok =
        Array.isArray(value) &&
        value.length > 0 &&
        value.every((v) => spec.choices.includes(v as string)) &&
        new Set(value).size === value.length;
      return ok
        ? undefined
        : `expected a non-empty list of distinct values from ${spec.choices.join(', ')}, got ${JSON.stringify(value)}`;
    }
    case 'integers': {
      const ok =
        Array.isArray(value) &&
        value.length > 0 &&
        value.every((v) => Number.isSafeInteger(v) && v >= (spec.min ?? -Infinity));
      return ok
        ? undefined
        : `expected a non-empty list of integers${range(spec.min, undefined)}, got ${JSON.stringify(value)}`;
    }
    case 'numbers': {
      const ok =
        Array.isArray(value) &&
        value.every(
          (v) =>
            typeof v === 'number' && Number.isFinite(v) && v >= (spec.min ?? -Infinity) && v <= (spec.max ?? Infinity),
        );
      return ok ? undefined : `expected a list of numbers${range(spec.min, spec.max)}, got ${JSON.stringify(value)}`;
    }
    case 'integer':
    case 'number': {
      const ok =
        typeof value === 'number' && (spec.type === 'integer' ? Number.isSafeInteger(value) : Number.isFinite(value));
      const inRange = ok && value >= (spec.min ?? -Infinity) && value <= (spec.max ?? Infinity);
      return inRange
        ? undefined
        : `expected ${spec.type === 'integer' ? 'an integer' : 'a number'}${range(spec.min, spec.max)}, ${got}`;
    }
  }
}

function range(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return ` in ${min}..${max}`;
  if (min !== undefined) return ` ≥ ${min}`;
  if (max !== undefined) return ` ≤ ${max}`;
  return '';
}
