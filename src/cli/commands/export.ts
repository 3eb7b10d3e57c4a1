import path from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { UserError } from '../../core/errors.js';
import { exportTrial, type TrialChoice } from '../../run/export.js';
import { displayPath, storagePath } from '../config/loader.js';
import { printLine } from '../output.js';

type Flags = { trial?: number; best?: boolean; out: string; storage?: string };

/** `nas export <experiment> [--trial N | --best] --out DIR`: a trained trial's tfjs model, architecture and figures. */
export function registerExport(program: Command): void {
  program
    .command('export')
    .description("copy a trial's trained tfjs model into a folder, with its architecture (architecture.json), figures (trial.json) and a README")
    .argument('<experiment>', 'the experiment name (`nas ls` lists them)')
    .option('--trial <n>', 'the trial number', trialNumber)
    .option('--best', 'the best trial by the primary objective (the default)')
    .requiredOption('--out <dir>', 'the folder to write (created if missing)')
    .option('--storage <file>', 'the SQLite file (default: the one ./nas.config.ts names, else runs/nas.sqlite)')
    .action(async (name: string, flags: Flags) => {
      if (flags.trial !== undefined && flags.best) throw new UserError('USAGE', 'give --trial N or --best, not both');
      const choice: TrialChoice = flags.trial === undefined ? { best: true } : { trial: flags.trial };
      const file = await storagePath(flags.storage);
      const result = await exportTrial(file, name, choice, path.resolve(flags.out));
      printLine(`exported trial ${result.trial} of ${name} to ${displayPath(result.out)}: ${result.files.join(', ')}`);
    });
}

function trialNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a trial number (0, 1, …), got ${JSON.stringify(value)}`);
  return n;
}
