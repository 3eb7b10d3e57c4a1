import { UserError } from '../../../core/errors.js';

/** The reporters `--reporter` names; `auto` picks one from the terminal and the environment. */
export const REPORTER_NAMES = ['auto', 'dashboard', 'plain', 'json'] as const;

/** A reporter that can be made. */
export type ReporterKind = Exclude<(typeof REPORTER_NAMES)[number], 'auto'>;

/** Where the output goes: is stdout a terminal, and the environment (CI, TERM). */
export interface OutputTarget {
  readonly isTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** True when `CI` is set to anything but "", "0" or "false". */
export function inCi(env: OutputTarget['env']): boolean {
  const ci = env['CI'];
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/**
 * The reporter for a `--reporter` flag: the flag when it names one; otherwise JSON lines when stdout
 * is not a terminal or CI is set, plain lines on a dumb terminal (TERM=dumb), else the dashboard.
 */
export function chooseReporter(flag: string | undefined, target: OutputTarget): ReporterKind {
  if (flag !== undefined && flag !== 'auto') {
    if ((REPORTER_NAMES as readonly string[]).includes(flag)) return flag as ReporterKind;
    throw new UserError(
      'REPORTER',
      `unknown reporter ${JSON.stringify(flag)}; known: ${REPORTER_NAMES.join(', ')}`,
      'pass --reporter dashboard, plain or json (or leave it out to choose by terminal)',
    );
  }
  if (!target.isTTY || inCi(target.env)) return 'json';
  if (target.env['TERM'] === 'dumb') return 'plain';
  return 'dashboard';
}
