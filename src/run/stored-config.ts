import type { z } from 'zod';
import type { Json } from '../core/arch.js';
import { UserError } from '../core/errors.js';
import type { Experiment } from '../backend/storage/index.js';
import { resolveOptions } from '../core/options.js';
import { findSpace } from '../space/spaces/index.js';
import { halvingOptions } from '../search/halving.js';
import type { ExperimentConfig } from './config.js';
import { storedConfigSchema } from './stored-config-schema.js';

/**
 * Space options whose default changed after experiments were stored with the old one filled in:
 * an old config lacks the option, and must keep meaning what it meant when it was stored.
 */
const EARLIER_DEFAULTS: Readonly<Record<string, Readonly<Record<string, Json>>>> = {
  // Attention used to follow the whole block; the residual branch is the default since storage v3.
  macro: { attentionPlacement: ['after'] },
};

/**
 * The config an experiment was stored with, checked, its space options completed with the values it
 * ran under. Every command reads a stored config through here: one that no longer parses is a
 * {@link UserError} `STORED_CONFIG` naming the experiment and each field, what was expected and what is stored.
 */
export function storedConfig(experiment: Pick<Experiment, 'name' | 'config'>): ExperimentConfig {
  const parsed = storedConfigSchema.safeParse(experiment.config, { reportInput: true, error: expectedMessage });
  if (!parsed.success) throw storedConfigError(experiment.name, parsed.error.issues);
  const config = withEarlierHalving(parsed.data);
  const earlier = EARLIER_DEFAULTS[config.space.name];
  if (earlier === undefined) return config;
  const missing = Object.entries(earlier).filter(([option]) => !(option in config.space.options));
  if (missing.length === 0) return config;
  return {
    ...config,
    space: { ...config.space, options: { ...Object.fromEntries(missing), ...config.space.options } },
  };
}

/**
 * Successive halving retrained a promoted sample from scratch before `continuation` existed (its
 * default is true since): a stored halving without the option keeps retraining.
 */
function withEarlierHalving(config: ExperimentConfig): ExperimentConfig {
  const halving = config.strategy.halving;
  if (halving === undefined || 'continuation' in halving) return config;
  return { ...config, strategy: { ...config.strategy, halving: { ...halving, continuation: false } } };
}

/** A config as the JSON an experiment stores (field by field a JSON value; the interface itself has no index signature). */
export function configJson(config: ExperimentConfig): Readonly<Record<string, Json>> {
  return { ...config };
}

/**
 * The config as a new experiment stores it: the space's options and successive halving's with every
 * default filled in, so that a default changed later never changes what a stored experiment means
 * (see EARLIER_DEFAULTS, withEarlierHalving).
 */
export function configToStore(config: ExperimentConfig): ExperimentConfig {
  const entry = findSpace(config.space.name);
  const options = resolveOptions(entry.options, config.space.options, `search space "${config.space.name}"`) as Record<
    string,
    Json
  >;
  const { halving } = config.strategy;
  const strategy =
    halving === undefined
      ? config.strategy
      : {
          ...config.strategy,
          halving: resolveOptions(halvingOptions, halving, 'successive halving') as Record<string, Json>,
        };
  return { ...config, space: { ...config.space, options }, strategy };
}

function storedConfigError(experiment: string, issues: readonly z.core.$ZodIssue[]): UserError {
  // A custom issue (the trainer's check) says what it got itself.
  const lines = issues.map(
    (issue) =>
      `  • ${issue.path.length === 0 ? '(config)' : joinPath(issue.path)}: ${issue.message}${issue.code === 'custom' ? '' : `, got ${shown(issue.input)}`}`,
  );
  return new UserError(
    'STORED_CONFIG',
    [
      `the config stored with experiment "${experiment}" no longer parses (${issues.length} problem${issues.length === 1 ? '' : 's'})`,
      ...lines,
    ].join('\n'),
    'it was written by another version of nas: read it with that version, or start the experiment again with `nas search`',
  );
}

/** "expected …" for the issues whose schema gives no message of its own. */
function expectedMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === 'invalid_type')
    return `expected ${issue.expected === 'object' ? 'an object' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}`;
  if (issue.code === 'invalid_value') return `expected one of ${issue.values.map((v) => shown(v)).join(', ')}`;
  if (issue.code === 'too_small' || issue.code === 'too_big') {
    const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
    const relation = issue.code === 'too_small' ? (issue.inclusive ? '≥' : '>') : issue.inclusive ? '≤' : '<';
    return `expected ${issue.origin === 'array' ? 'a list of length' : 'a value'} ${relation} ${String(bound)}`;
  }
  return undefined;
}

/** Joins path segments: ['objectives', 0, 'metric'] → "objectives[0].metric". */
function joinPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>(
    (path, s) => (typeof s === 'number' ? `${path}[${s}]` : path === '' ? String(s) : `${path}.${String(s)}`),
    '',
  );
}

/** A stored value as a message shows it: JSON, shortened; "nothing" for a missing field. */
function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}…` : json;
}
