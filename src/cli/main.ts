import { CommanderError, Command } from 'commander';
import { UserError } from '../core/errors.js';
import { shownLocation } from '../backend/storage/index.js';
import { registerBaseline } from './commands/baseline.js';
import { registerBench } from './commands/bench/index.js';
import { registerEstimate } from './commands/estimate/index.js';
import { registerExport } from './commands/export/index.js';
import { registerReport } from './commands/report.js';
import { registerList } from './commands/list.js';
import { registerLs } from './commands/ls/index.js';
import { registerResume } from './commands/resume.js';
import { registerReview } from './commands/review.js';
import { registerSearch } from './commands/search.js';
import { registerShow } from './commands/show.js';
import { registerWorker } from './commands/worker.js';
import { ConfigError } from './config/loader.js';

// Exit codes (docs/cli.md): 0 done; 1 a user error (missing data, unknown experiment, storage
// version, …); 2 a usage error (bad flags, an invalid config file); 70 a bug; 130 a search stopped
// by Ctrl-C before its budget was spent.

// Output piped into a reader that quits early (`nas list ops | head`): stop quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

const program = new Command('nas')
  .description('neural architecture search on the native TensorFlow backend')
  .showHelpAfterError()
  .exitOverride();
registerSearch(program);
registerResume(program);
registerLs(program);
registerShow(program);
registerList(program);
registerEstimate(program);
registerBench(program);
registerBaseline(program);
registerExport(program);
registerReport(program);
registerReview(program);
registerWorker(program);

/** The one top-level handler: user errors print their message and hint, no stack; anything else is a bug report. */
try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = report(error);
}

function report(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2; // commander printed the message and help
  if (error instanceof UserError) {
    process.stderr.write(`${error.name === 'UserError' ? 'nas' : error.name}: ${error.message}\n`);
    if (error.hint) process.stderr.write(`  what to do: ${error.hint}\n`);
    return error instanceof ConfigError ? 2 : 1;
  }
  const args = process.argv.slice(2).map(shownLocation).join(' '); // a storage URL's password stays out of a bug report
  process.stderr.write(
    `nas: internal error — a bug in nas, not in your input. Please report it with these lines:\n` +
      `  nas ${args}\n  node ${process.version} on ${process.platform}-${process.arch}\n` +
      `${error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error)}\n`,
  );
  return 70;
}
