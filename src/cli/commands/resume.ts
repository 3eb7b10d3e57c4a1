import { Option, type Command } from 'commander';
import type { ExperimentConfig } from '../../run/config.js';
import { resumeSearch } from '../../run/search.js';
import { checkDataAvailable, storagePath } from '../config/loader.js';
import { readStorage } from '../../run/experiment-data.js';
import { findExperiment } from './experiment-lookup.js';
import { STOPPED_EXIT_CODE } from './search.js';
import { REPORTERS, runSession } from './search-session.js';

type Flags = { storage?: string; reporter?: string };

/** `nas resume <experiment>`: continue a stopped or crashed experiment where it ended. */
export function registerResume(program: Command): void {
  program
    .command('resume')
    .description('continue a stopped or crashed experiment: trials cut short run again once, the strategy picks up its saved state')
    .argument('<experiment>', 'the experiment name (`nas ls` lists them)')
    .option('--storage <file>', 'the SQLite file (default: the one ./nas.config.ts names, else runs/nas.sqlite)')
    .addOption(new Option('--reporter <kind>', 'ink, plain or json (as for `nas search`)').choices(REPORTERS))
    .action(async (name: string, flags: Flags) => {
      const file = await storagePath(flags.storage);
      const { summary, trials } = await readStorage(file, (storage) => findExperiment(storage, file, name));
      const config = summary.config as unknown as ExperimentConfig;
      checkDataAvailable(config, `the config stored with "${name}"`);
      const status = await runSession(config, flags.reporter, (hooks) => resumeSearch(file, name, hooks), trials);
      if (status === 'stopped') process.exitCode = STOPPED_EXIT_CODE;
    });
}
