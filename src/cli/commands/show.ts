import type { Command } from 'commander';
import { storedConfig } from '../../run/stored-config.js';
import { displayPath, storagePath } from '../config/loader.js';
import { sortKey } from '../format/ranking.js';
import { showJson } from '../format/show.js';
import { showLines } from '../format/show-text.js';
import { printJson, printLine } from '../output.js';
import { listExports } from './export/export-event.js';
import { readStorage } from '../../run/experiment-data.js';
import { findExperiment } from './experiment-lookup.js';

type Flags = { storage?: string; sort?: string; reverse?: boolean; json?: boolean };

/** `nas show <experiment>`: its config, trials table, Pareto front and failures. */
export function registerShow(program: Command): void {
  program
    .command('show')
    .description(
      "an experiment's config, its trials (sorted by a metric), the Pareto front (two objectives or more) and its failures with reasons",
    )
    .argument('<experiment>', 'the experiment name (`nas ls` lists them)')
    .option('--storage <file>', 'the SQLite file (default: the one ./nas.config.ts names, else runs/nas.sqlite)')
    .option(
      '--sort <metric>',
      'order trials by a metric or cost figure (validationAccuracy, macs, params, …), best first; `number` for trial order (default: the primary objective)',
    )
    .option('--reverse', 'reverse the order')
    .option('--json', 'print one JSON object (shape in docs/cli.md)')
    .action(async (name: string, flags: Flags) => {
      const file = await storagePath(flags.storage);
      const show = await readStorage(file, async (storage) => {
        const { summary, trials } = await findExperiment(storage, file, name);
        const config = storedConfig(summary);
        return showJson(
          file,
          summary,
          trials,
          sortKey(flags.sort, config.objectives),
          flags.reverse ?? false,
          await listExports(storage, summary.id),
        );
      });
      if (flags.json) printJson(show);
      else for (const line of showLines(show, displayPath(file), process.stdout.columns || 160)) printLine(line);
    });
}
