import type { Json } from '../../core/arch.js';
import { crossProblems, objectiveProblems, trainProblems } from './field-checks.js';
import { halvingProblems } from './halving-checks.js';
import { prunerProblems } from './pruner-checks.js';
import { ConfigError, fallbackMessage, notCovered, zodProblems, type Problem } from './problems.js';
import { registryProblems, type EntryOptions, type NamedEntry } from './registry-checks.js';
import { userConfigSchema, type CheckedConfig } from './schema.js';

/** A config that passed every check, with the registry entries' options resolved. */
export interface ValidConfig {
  readonly config: CheckedConfig;
  readonly options: EntryOptions;
}

/**
 * Checks a config file's default export: its structure and types (the schema), the names and
 * options of its data set, space and strategy (the registries), training ranges (the trainer) and
 * the rules between sections. Throws one {@link ConfigError} listing every problem; `file` names
 * the file in it and `configDir` anchors relative paths.
 */
export function validateConfig(raw: unknown, file: string, configDir: string): ValidConfig {
  const parsed = userConfigSchema.safeParse(raw, { reportInput: true, error: fallbackMessage });
  const first = parsed.success ? [] : zodProblems(parsed.error.issues);
  if (!isObject(raw)) throw new ConfigError(file, first);
  const sections = parsedSections(raw);
  const registry = registryProblems(
    {
      seed: sections.seed ?? 0,
      objectives: sections.objectives ?? [{ metric: 'validationAccuracy', direction: 'max' }],
      dataset: named(raw.dataset),
      space: named(raw.space),
      strategy: named(raw.strategy),
    },
    configDir,
  );
  const later: Problem[] = [
    ...registry.problems,
    ...halvingProblems(raw.strategy),
    ...prunerProblems(raw),
    ...trainProblems(withoutRejected(raw.train, 'train', first)),
    ...objectiveProblems(sections),
    ...crossProblems(sections),
  ];
  const order = Object.keys(userConfigSchema.shape);
  const rank = (p: Problem) => order.indexOf(p.path.split(/[.[]/)[0] ?? '');
  const problems = [...first, ...notCovered(later, first)]
    .map((p, i) => ({ p, i }))
    .sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i)
    .map((x) => x.p);
  if (problems.length > 0 || !parsed.success) throw new ConfigError(file, problems);
  return { config: parsed.data, options: registry.options };
}

/** The top-level sections that pass the schema on their own (so later checks can read them). */
function parsedSections(raw: Record<string, unknown>): Partial<CheckedConfig> {
  const sections: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(userConfigSchema.shape)) {
    const result = schema.safeParse(raw[key]);
    if (result.success && result.data !== undefined) sections[key] = result.data;
  }
  return sections as Partial<CheckedConfig>;
}

/** A section without the fields the schema rejected, so later checks do not repeat or build on them. */
function withoutRejected(section: unknown, name: string, rejected: readonly Problem[]): unknown {
  if (!isObject(section)) return section;
  const copy: Record<string, unknown> = { ...section };
  for (const p of rejected) {
    const [head, key] = p.path.split(/[.[]/);
    if (head === name && key !== undefined) delete copy[key];
  }
  return copy;
}

function named(section: unknown): NamedEntry {
  if (!isObject(section) || typeof section.name !== 'string') return undefined;
  const options = section.options === undefined ? {} : section.options;
  return isObject(options) ? { name: section.name, options: options as Readonly<Record<string, Json>> } : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
