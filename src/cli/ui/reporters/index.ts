import type { Trial } from '../../../core/trial.js';
import type { Describe } from '../columns.js';
import type { DashboardHeader } from '../header.js';
import type { ReporterKind } from './choose.js';
import { jsonReporter } from './json.js';
import { plainReporter } from './plain.js';
import type { Reporter } from './reporter.js';

export { chooseReporter, inCi, REPORTER_NAMES, type OutputTarget, type ReporterKind } from './choose.js';
export { jsonReporter } from './json.js';
export { plainReporter, type PlainReporterOptions } from './plain.js';
export type { LineStream, Reporter } from './reporter.js';
export { stopRelay, type StopHook, type StopRelay } from './stop-relay.js';
export type { InkReporterOptions } from './ink.js';

/** What {@link createReporter} needs; the streams default to the process's. */
export interface ReporterOptions {
  readonly header: DashboardHeader;
  readonly onStop: (why: string) => void;
  readonly describe?: Describe;
  readonly history?: readonly Trial[];
  readonly stdout?: NodeJS.WriteStream;
}

/** A reporter of the chosen kind; the dashboard's code (Ink, React) is loaded only when it is chosen. */
export async function createReporter(kind: ReporterKind, options: ReporterOptions): Promise<Reporter> {
  const stdout = options.stdout ?? process.stdout;
  switch (kind) {
    case 'json':
      return jsonReporter(stdout);
    case 'plain':
      return plainReporter(stdout, {
        header: options.header,
        ...(options.describe === undefined ? {} : { describe: options.describe }),
        ...(options.history === undefined ? {} : { history: options.history }),
      });
    case 'dashboard': {
      const { inkReporter } = await import('./ink.js');
      return inkReporter({ ...options, stdout });
    }
  }
}
