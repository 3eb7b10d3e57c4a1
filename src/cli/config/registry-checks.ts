import path from 'node:path';
import { NativeBackendError, UserError } from '../../core/errors.js';
import { checkOptions, type OptionsSchema } from '../../core/options.js';
import { Rng } from '../../core/rng.js';
import { DATASETS } from '../../backend/data/index.js';
import { SPACES } from '../../space/spaces/index.js';
import type { SearchSpace, SpaceEntry } from '../../space/search-space.js';
import { ONE_SHOT_STRATEGIES, STRATEGIES, type Objective } from '../../search/index.js';
import { shown, splitProblem, type Problem } from './problems.js';

type Options = Readonly<Record<string, unknown>>;

/** The options of each registry entry a config names, checked with defaults filled (paths absolute). */
export interface EntryOptions {
  readonly dataset: Options;
  readonly space: Options;
  readonly strategy: Options;
}

/** An entry a config names (data set, space or strategy), as far as its shape allows checking it. */
export type NamedEntry = { readonly name: string; readonly options: Options } | undefined;

/** What the registry checks read from a config (sections whose shape is wrong are left out). */
export interface RegistrySections {
  readonly seed: number;
  readonly objectives: readonly Objective[];
  readonly dataset: NamedEntry;
  readonly space: NamedEntry;
  readonly strategy: NamedEntry;
}

/**
 * Checks the names and options a config gives against the registries (data sets, spaces,
 * strategies), then builds the space and the strategy once so that their own cross-option checks
 * (odd kernels, sample size ≤ population) run too. Paths in options are relative to `configDir`.
 */
export function registryProblems(
  config: RegistrySections,
  configDir: string,
): { problems: Problem[]; options: EntryOptions } {
  const problems: Problem[] = [];
  const check = (
    what: string,
    entries: readonly { name: string; options: OptionsSchema }[],
    named: NamedEntry,
  ): Options | undefined => {
    if (named === undefined) return undefined;
    const { name, options: given } = named;
    const entry = entries.find((e) => e.name === name);
    if (entry === undefined) {
      problems.push({
        path: `${what}.name`,
        message: `expected one of ${entries.map((e) => e.name).join(', ')}, got ${shown(name)}`,
      });
      return undefined;
    }
    const { values, problems: found } = checkOptions(entry.options, relativePaths(entry.options, given, configDir));
    problems.push(...found.map((p) => ({ path: `${what}.options.${p.key}`, message: p.message })));
    return found.length === 0 ? values : undefined;
  };
  const dataset = check('dataset', DATASETS, config.dataset);
  const spaceOptions = check('space', SPACES, config.space);
  const strategyOptions = check('strategy', [...STRATEGIES, ...ONE_SHOT_STRATEGIES], config.strategy);
  const spaceEntry = SPACES.find((s) => s.name === config.space?.name);
  const space =
    spaceOptions === undefined
      ? undefined
      : attempt(problems, 'space.options', () => spaceEntry?.create(spaceOptions as never));
  const strategyEntry = STRATEGIES.find((s) => s.name === config.strategy?.name);
  const oneShot = ONE_SHOT_STRATEGIES.find((s) => s.name === config.strategy?.name);
  if (
    oneShot !== undefined &&
    space !== undefined &&
    (space.relaxation === undefined || space.supernet === undefined)
  ) {
    const cells = SPACES.filter((s) => s.create(checkOptions(s.options, {}).values).relaxation !== undefined).map(
      (s) => s.name,
    );
    problems.push({
      path: 'space.name',
      message: `strategy "${oneShot.name}" needs a cell space with a one-shot relaxation (${cells.join(', ')}), got ${shown(space.id)}`,
    });
  }
  if (strategyOptions !== undefined && strategyEntry !== undefined) {
    // The strategy's own checks need a space; when the config's space is broken, a default one stands in.
    const context = {
      space: space ?? standIn(),
      rng: new Rng(config.seed).derive('strategy'),
      objectives: config.objectives,
    };
    attempt(problems, 'strategy.options', () => strategyEntry?.create(context, strategyOptions as never));
  }
  return { problems, options: { dataset: dataset ?? {}, space: spaceOptions ?? {}, strategy: strategyOptions ?? {} } };
}

function standIn(): SearchSpace {
  const entry = SPACES.find((s) => s.name === 'nb201') ?? (SPACES[0] as SpaceEntry);
  return entry.create(checkOptions(entry.options, {}).values);
}

/** `given` with every path option made absolute from the config file's folder. */
function relativePaths(schema: OptionsSchema, given: Options, configDir: string): Options {
  const out: Record<string, unknown> = { ...given };
  for (const [key, spec] of Object.entries(schema)) {
    const value = out[key];
    if (spec.type === 'path' && typeof value === 'string' && value !== '') out[key] = path.resolve(configDir, value);
  }
  return out;
}

/** Runs a factory; a user error it throws becomes problems under `prefix` (one per "  • key: …" line of its message). */
function attempt<T>(problems: Problem[], prefix: string, make: () => T): T | undefined {
  try {
    return make();
  } catch (error) {
    if (error instanceof NativeBackendError || !(error instanceof UserError || error instanceof RangeError))
      throw error;
    problems.push(...errorProblems(error, prefix));
    return undefined;
  }
}

/** The problems an entry's factory reported: its bullet lines ("  • kernels: expected …"), or its whole message. */
export function errorProblems(error: unknown, prefix: string): Problem[] {
  const message = error instanceof Error ? error.message : String(error);
  const bullets = message.split('\n').filter((l) => l.trimStart().startsWith('• '));
  if (bullets.length > 0) return bullets.map((l) => splitProblem(l.trimStart().slice(2), prefix));
  return [{ path: prefix, message }];
}
