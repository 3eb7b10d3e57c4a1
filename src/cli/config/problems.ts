import type { z } from 'zod';
import { UserError } from '../../core/errors.js';

/** One thing wrong with a config: where (a dotted path such as `space.options.cells`) and what. */
export interface Problem {
  readonly path: string;
  readonly message: string;
}

/** A config file failed validation; lists every problem with its path, what was expected and what was given. */
export class ConfigError extends UserError {
  readonly problems: readonly Problem[];
  readonly file: string;

  constructor(file: string, problems: readonly Problem[]) {
    const n = problems.length;
    const lines = problems.map((p) => `  • ${p.path === '' ? '(config)' : p.path}: ${p.message}`);
    super(
      'CONFIG',
      [`${file} is invalid (${n} problem${n === 1 ? '' : 's'})`, ...lines].join('\n'),
      'docs/config.md describes every field; `nas list spaces|strategies|datasets` shows the options of each',
    );
    this.problems = problems;
    this.file = file;
  }
}

/** A value as a message shows it after "got": JSON, shortened; nothing for undefined. */
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}…` : json;
}

/** Joins path segments: ['train', 'schedule', 'lrMax'] → "train.schedule.lrMax", ['objectives', 0] → "objectives[0]". */
export function joinPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>(
    (path, s) => (typeof s === 'number' ? `${path}[${s}]` : path === '' ? String(s) : `${path}.${String(s)}`),
    '',
  );
}

/** The problems of a failed zod parse (issues reported with their input): one per issue, one per unknown key. */
export function zodProblems(issues: readonly z.core.$ZodIssue[]): Problem[] {
  return issues.flatMap((issue): Problem[] => {
    const path = joinPath(issue.path);
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({ path: joinPath([...issue.path, key]), message: issue.message }));
    const union = issue as { discriminator?: string; options?: readonly unknown[] };
    if (issue.code === 'invalid_union' && union.discriminator !== undefined && union.options !== undefined) {
      const got = (issue.input as Record<string, unknown> | undefined)?.[union.discriminator];
      return [{ path, message: `expected one of ${union.options.map((o) => shown(o)).join(', ')}, got ${shown(got)}` }];
    }
    return [{ path, message: `${issue.message}, got ${shown(issue.input)}` }];
  });
}

/** Messages for issues whose schema sets none (pass as the `error` of a parse): "expected …". */
export function fallbackMessage(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected === 'object' ? 'an object' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}`;
    case 'too_small':
      return `expected ${issue.origin === 'array' ? 'a list of length' : 'a value'} ${issue.inclusive ? '≥' : '>'} ${String(issue.minimum)}`;
    case 'too_big':
      return `expected ${issue.origin === 'array' ? 'a list of length' : 'a value'} ${issue.inclusive ? '≤' : '<'} ${String(issue.maximum)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => shown(v)).join(', ')}`;
    default:
      return `expected a valid value (${issue.code})`;
  }
}

/** Splits "epochs: expected …" (the problem lines of TrainConfigError and OptionsError) into a path and a message. */
export function splitProblem(line: string, prefix: string): Problem {
  const at = line.indexOf(': ');
  if (at < 0) return { path: prefix, message: line };
  const head = line.slice(0, at);
  return /^[\w.[\]-]+$/.test(head)
    ? { path: head === '' ? prefix : `${prefix}.${head}`, message: line.slice(at + 2) }
    : { path: prefix, message: line };
}

/** The problems of `extra` that no problem of `first` already covers (same path, or a path under it). */
export function notCovered(extra: readonly Problem[], first: readonly Problem[]): Problem[] {
  return extra.filter(
    (p) => !first.some((k) => p.path === k.path || p.path.startsWith(`${k.path}.`) || p.path.startsWith(`${k.path}[`)),
  );
}
