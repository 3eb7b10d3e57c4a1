import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { isPostgresUrl } from '../../backend/storage/index.js';
import { storedConfig } from '../../run/stored-config.js';
import { resumeSearch } from '../../run/search.js';
import { STORAGE_OPTION, checkDataAvailable, storagePath } from '../config/loader.js';
import { readStorage, writeStorage } from '../../run/experiment-data.js';
import { busyError } from '../../run/owner-lease.js';
import { findExperiment } from './experiment-lookup.js';
import { STOPPED_EXIT_CODE } from './search.js';
import { REPORTERS, runSession } from './search-session.js';

type Flags = { storage?: string; reporter?: string; queue?: string };

/** `nas resume <experiment>`: continue a stopped or crashed experiment where it ended. */
export function registerResume(program: Command): void {
  program
    .command('resume')
    .description(
      'continue a stopped or crashed experiment: trials cut short run again once, the strategy picks up its saved state',
    )
    .argument('<experiment>', 'the experiment name (`nas ls` lists them)')
    .option(STORAGE_OPTION.flags, STORAGE_OPTION.description)
    .addOption(new Option('--reporter <kind>', 'ink, plain or json (as for `nas search`)').choices(REPORTERS))
    .option(
      '--queue <url>',
      'run trials on `nas worker` processes fed by the queue at this Redis URL (replaces the stored dispatch.queue)',
    )
    .action(async (name: string, flags: Flags) => {
      const file = await storagePath(flags.storage);
      // Read-write, so that an older file is migrated (a read-only open refuses it); read-only when
      // there is no file, which says so instead of creating one. A driven experiment is refused
      // before the dashboard starts; resumeSearch's claim of the lease decides for good.
      const open = isPostgresUrl(file) || existsSync(file) ? writeStorage : readStorage;
      const { summary, trials } = await open(file, async (storage) => {
        const found = await findExperiment(storage, file, name);
        const busy = await busyError(storage, found.summary);
        if (busy !== undefined) throw busy;
        return found;
      });
      const config = storedConfig(summary);
      checkDataAvailable(config, `the config stored with "${name}"`);
      const status = await runSession(
        config,
        flags.reporter,
        (hooks) => resumeSearch(file, name, hooks, flags.queue),
        trials,
      );
      if (status === 'stopped') process.exitCode = STOPPED_EXIT_CODE;
    });
}
