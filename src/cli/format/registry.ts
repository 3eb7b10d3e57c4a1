import type { OptionsSchema } from '../../core/options.js';

/** A registry entry as `nas list --json` shows it: name, description, options. */
export interface EntryJson {
  readonly name: string;
  readonly description: string;
  readonly options: readonly OptionJson[];
}

/** One option of an entry: its type, bounds, choices, default (null when required) and description. */
export interface OptionJson {
  readonly name: string;
  /** integer, number, integers, numbers, seed, path, boolean, enum or subset. */
  readonly type: string;
  readonly min: number | null;
  readonly max: number | null;
  /** The allowed values of an enum, or of a subset's members. */
  readonly choices: readonly string[] | null;
  readonly default: unknown;
  readonly required: boolean;
  readonly description: string;
}

/** The `nas list --json` form of a registry entry. */
export function entryJson(entry: {
  readonly name: string;
  readonly description: string;
  readonly options: OptionsSchema;
}): EntryJson {
  return {
    name: entry.name,
    description: entry.description,
    options: Object.entries(entry.options).map(([name, spec]) => ({
      name,
      type: spec.type,
      min: 'min' in spec && spec.min !== undefined ? spec.min : null,
      max: 'max' in spec && spec.max !== undefined ? spec.max : null,
      choices: 'choices' in spec ? spec.choices : null,
      default: spec.default ?? null,
      required: spec.default === undefined,
      description: spec.description,
    })),
  };
}

/** Entries as text: a line per entry, then per option its type and default, its description, and its choices. */
export function entryLines(entries: readonly EntryJson[]): string[] {
  return entries.flatMap((e) => {
    const head = `${e.name} — ${e.description}`;
    if (e.options.length === 0) return [head, '    (no options)', ''];
    const width = Math.max(...e.options.map((o) => o.name.length));
    const pad = ' '.repeat(width + 2);
    const lines = e.options.flatMap((o) => [
      `    ${o.name.padEnd(width)}  ${o.type}${bounds(o.min, o.max)}${o.required ? ', required' : `, default ${defaultText(o.default)}`}`,
      `    ${pad}${o.description}`,
      ...(o.choices === null ? [] : [`    ${pad}choices: ${o.choices.join(', ')}`]),
    ]);
    return [head, ...lines, ''];
  });
}

function bounds(min: number | null, max: number | null): string {
  if (min !== null && max !== null) return ` ${min}..${max}`;
  if (min !== null) return ` ≥ ${min}`;
  return max !== null ? ` ≤ ${max}` : '';
}

function defaultText(value: unknown): string {
  return Array.isArray(value)
    ? `[${value.join(', ')}]`
    : typeof value === 'string'
      ? JSON.stringify(value)
      : String(value);
}
