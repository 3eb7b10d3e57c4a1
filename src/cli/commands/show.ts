import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import type { Trial } from '../../core/trial.js';
import { storedConfig } from '../../run/stored-config.js';
import { shownLocation } from '../../backend/storage/index.js';
import { STORAGE_OPTION, displayStorage, storagePath } from '../config/loader.js';
import { showDiagnosticsJson } from '../format/diagnostics-show.js';
import { diagnosticsLines } from '../format/diagnostics-text.js';
import { sortKey } from '../format/ranking.js';
import { showJson } from '../format/show.js';
import { showLines } from '../format/show-text.js';
import { printJson, printLine } from '../output.js';
import { parseInteger } from '../parse.js';
import { listExports } from './export/export-event.js';
import { readStorage } from '../../run/experiment-data.js';
import { listLostAttempts } from '../../run/queue/lost-attempts.js';
import { findExperiment } from './experiment-lookup.js';

type Flags = {
  storage?: string;
  sort?: string;
  reverse?: boolean;
  json?: boolean;
  trial?: number;
  diagnostics?: boolean;
};

/** `nas show <experiment>`: its config, trials table, Pareto front and failures; with `--trial N --diagnostics`, that trial's diagnostics per layer. */
export function registerShow(program: Command): void {
  program
    .command('show')
    .description(
      "an experiment's config, its trials (sorted by a metric), the Pareto front (two objectives or more) and its failures with reasons; with --trial N --diagnostics, a trial's training diagnostics per layer",
    )
    .argument('<experiment>', 'the experiment name (`nas ls` lists them)')
    .option(STORAGE_OPTION.flags, STORAGE_OPTION.description)
    .option(
      '--sort <metric>',
      'order trials by a metric or cost figure (validationAccuracy, macs, params, …), best first; `number` for trial order (default: the primary objective)',
    )
    .option('--reverse', 'reverse the order')
    .option('--trial <n>', 'with --diagnostics: the trial number', parseInteger)
    .option(
      '--diagnostics',
      "with --trial N: the trial's training diagnostics per layer (gradient and weight norms, dead ReLUs, BatchNorm outputs, flags)",
    )
    .option('--json', 'print one JSON object (shape in docs/cli.md)')
    .action(async (name: string, flags: Flags, command: Command) => {
      if ((flags.trial === undefined) !== (flags.diagnostics !== true))
        command.error(
          `error: --trial N and --diagnostics go together (${flags.trial === undefined ? 'add --trial N' : 'add --diagnostics'})`,
          { exitCode: 2, code: 'nas.usage' },
        );
      const file = await storagePath(flags.storage);
      if (flags.trial !== undefined) return showDiagnostics(file, name, flags.trial, flags.json ?? false);
      const show = await readStorage(file, async (storage) => {
        const { summary, trials } = await findExperiment(storage, file, name);
        const config = storedConfig(summary);
        return showJson(
          shownLocation(file),
          summary,
          trials,
          sortKey(flags.sort, config.objectives),
          flags.reverse ?? false,
          await listExports(storage, summary.id),
          await listLostAttempts(storage, summary.id),
        );
      });
      if (flags.json) printJson(show);
      else for (const line of showLines(show, displayStorage(file), process.stdout.columns || 160)) printLine(line);
    });
}

/** `nas show <experiment> --trial N --diagnostics`: trial N's diagnostics per layer, or a line saying they were off. */
async function showDiagnostics(file: string, name: string, number: number, json: boolean): Promise<void> {
  const show = await readStorage(file, async (storage) => {
    const { summary, trials } = await findExperiment(storage, file, name);
    const trial = numberedTrial(name, trials, number);
    return showDiagnosticsJson(
      shownLocation(file),
      storedConfig(summary),
      trial,
      await storage.listDiagnostics(trial.id),
    );
  });
  if (json) printJson(show);
  else for (const line of diagnosticsLines(show, process.stdout.columns || 160)) printLine(line);
}

/** Trial `number` in whatever state; an unknown number names the known ones. */
function numberedTrial(experiment: string, trials: readonly Trial[], number: number): Trial {
  const trial = trials.find((t) => t.number === number);
  if (trial !== undefined) return trial;
  const numbers = trials.map((t) => t.number).sort((a, b) => a - b);
  const known =
    numbers.length === 0 ? 'it has no trials yet' : `its trials are numbered ${numbers[0]}–${numbers.at(-1)}`;
  throw new UserError(
    'NO_TRIAL',
    `no trial ${number} in experiment "${experiment}"`,
    `${known} (\`nas show ${experiment}\` lists them)`,
  );
}
