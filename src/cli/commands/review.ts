import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import type { Trial } from '../../core/trial.js';
import { loadExperiment, readStorage, type ExperimentData } from '../../run/experiment-data.js';
import { shownLocation } from '../../backend/storage/index.js';
import { STORAGE_OPTION, displayStorage, storagePath } from '../config/loader.js';
import { reviewLines } from '../format/review-text.js';
import { printJson, printLine } from '../output.js';
import { parseInteger } from '../parse.js';
import { reviewContext } from '../review/checklist.js';
import { thisMachine } from '../review/machine.js';
import { reviewTrial } from '../review/review.js';
import { chooseTrial } from './export/write-export.js';

type Flags = { trial?: number; best?: boolean; storage?: string; json?: boolean };

/** `nas review <experiment> [--trial N | --best]`: the design checklist of part 7 walked for a found architecture. */
export function registerReview(program: Command): void {
  program
    .command('review')
    .description(
      "walk the design checklist (input, base architecture, budget, filter schedule, stride plan, shortcuts, attention, regularization, normalization, initialization, learning rate, memory, parallelization, precision) for a trial's architecture, with a warning where the design's guidance is not met",
    )
    .argument('<experiment>', 'the experiment name (`nas ls` lists them)')
    .option('--trial <n>', 'the trial number (any state: its architecture is what is reviewed)', parseInteger)
    .option('--best', 'the best trial by the primary objective (the default)')
    .option(STORAGE_OPTION.flags, STORAGE_OPTION.description)
    .option('--json', 'print one JSON object (shape in docs/cli.md)')
    .action(async (name: string, flags: Flags) => {
      if (flags.trial !== undefined && flags.best) throw new UserError('USAGE', 'give --trial N or --best, not both');
      const file = await storagePath(flags.storage);
      const data = await readStorage(file, (storage) => loadExperiment(storage, file, name));
      const trial = flags.trial === undefined ? chooseTrial(data, { best: true }) : numberedTrial(data, flags.trial);
      const review = reviewTrial(reviewContext(data.config, thisMachine()), trial);
      if (flags.json) printJson({ storage: shownLocation(file), ...review });
      else for (const line of reviewLines(review, displayStorage(file), process.stdout.columns || 160)) printLine(line);
    });
}

/** Trial `number` in whatever state (a failed trial's architecture can be reviewed too); an unknown number names the known ones. */
function numberedTrial(data: ExperimentData, number: number): Trial {
  const trial = data.trials.find((t) => t.number === number);
  if (trial !== undefined) return trial;
  const numbers = data.trials.map((t) => t.number);
  const known =
    numbers.length === 0
      ? 'it has no trials yet'
      : `its trials are numbered ${numbers[0]}–${numbers.at(-1)}; or --best`;
  throw new UserError('NO_TRIAL', `no trial ${number} in experiment "${data.experiment.name}"`, known);
}
