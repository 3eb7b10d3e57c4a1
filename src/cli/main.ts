import { Command } from 'commander';
import { UserError } from '../core/errors.js';
import { registerBaseline } from './commands/baseline.js';
import { registerEstimate } from './commands/estimate.js';

const program = new Command('nas')
  .description('neural architecture search on the native TensorFlow backend')
  .showHelpAfterError();
registerBaseline(program);
registerEstimate(program);

/** The one top-level handler: a user error prints its hint and exits 1; anything else is a bug (exit 70). */
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof UserError) {
    process.stderr.write(`nas: ${error.message}\n`);
    if (error.hint) process.stderr.write(`  what to do: ${error.hint}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`nas: internal error (a bug; please report it):\n${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 70;
  }
}
