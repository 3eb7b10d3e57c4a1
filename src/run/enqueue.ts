import fs from 'node:fs';
import type { Json } from '../core/arch.js';
import { UserError } from '../core/errors.js';
import type { SearchSpace } from '../space/search-space.js';
import { findOneShot } from '../search/index.js';
import type { ExperimentConfig } from './config.js';
import { experimentSpace } from './experiment-space.js';

const SHAPES =
  'a JSON list of samples, a list of { "sample": … } objects, or the output of `nas show <experiment> --json`';

/**
 * The samples a search evaluates first (`enqueue` in the config, `nas search --enqueue FILE`),
 * checked against the space before anything runs: a bad entry names `source`, its index and the
 * space's problem.
 */
export function checkEnqueued(space: SearchSpace, samples: readonly Json[], source: string): void {
  for (const [index, sample] of samples.entries()) {
    const issues = space.validate(sample);
    if (issues.length === 0) continue;
    const problems = issues.map((issue) => (issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`));
    throw new UserError(
      'BAD_ENQUEUE',
      `${source}: entry ${index} is not a sample of space "${space.id}": ${problems.join('; ')}`,
      "each entry must be a sample of the config's space (docs/cli.md, `nas search --enqueue`)",
    );
  }
}

/** The samples of an enqueue file (`shown` is its path as the user wrote it), in its order; not yet checked against a space. */
export function readEnqueueFile(file: string, shown: string): Json[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError('BAD_ENQUEUE', `cannot read ${shown}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError(
      'BAD_ENQUEUE',
      `${shown}: expected JSON (${SHAPES}), got a parse error: ${(error as Error).message}`,
    );
  }
  return enqueuedSamples(json, shown);
}

/**
 * The samples of an enqueue file's JSON: a list whose entries are samples, or objects with a
 * `sample` (a `nas show --json`'s trials), or a whole `nas show --json` object (its trials).
 */
export function enqueuedSamples(json: unknown, shown: string): Json[] {
  const list = isObject(json) && Array.isArray(json.trials) ? (json.trials as unknown[]) : json;
  if (!Array.isArray(list)) {
    const got = json === null ? 'null' : typeof json;
    throw new UserError('BAD_ENQUEUE', `${shown}: expected ${SHAPES}, got ${got}`);
  }
  return list.map((entry) => (isObject(entry) && 'sample' in entry ? entry.sample : entry) as Json);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A config's enqueued samples must be samples of its space, for a multi-trial strategy (a one-shot one derives its own). */
export function checkEnqueueFits(config: ExperimentConfig): void {
  if (config.enqueue === undefined || config.enqueue.length === 0) return;
  if (findOneShot(config.strategy.name) !== undefined)
    throw new UserError(
      'BAD_ENQUEUE',
      `enqueue: the one-shot strategy "${config.strategy.name}" evaluates the architectures it derives, not enqueued samples`,
      'use a multi-trial strategy (`nas list strategies`)',
    );
  checkEnqueued(experimentSpace(config), config.enqueue, "the config's enqueue");
}
