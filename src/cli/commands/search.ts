import { Option, type Command } from 'commander';
import { startSearch } from '../../run/search.js';
import { DEFAULT_CONFIG, checkDataAvailable, displayPath, loadConfig } from '../config/loader.js';
import { parseInteger, parsePositiveInt } from '../parse.js';
import { REPORTERS, runSession } from './search-session.js';

type Flags = { name?: string; seed?: number; workers?: number; reporter?: string };

/** Exit code of a search stopped before its budget (Ctrl-C): 128 + SIGINT, as shells report it. */
export const STOPPED_EXIT_CODE = 130;

/** `nas search [config]`: load, validate and run an experiment. */
export function registerSearch(program: Command): void {
  program
    .command('search')
    .description(
      'start an experiment from a config file and run it until its budget is spent (Ctrl-C stops it; `nas resume` continues)',
    )
    .argument('[config]', 'the experiment file (TypeScript, `export default defineConfig({...})`)', DEFAULT_CONFIG)
    .option('--name <name>', "the experiment's name (overrides the config's)")
    .option('--seed <seed>', "the seed of everything (overrides the config's)", parseInteger)
    .option('--workers <n>', "trials trained at once (overrides the config's)", parsePositiveInt)
    .addOption(
      new Option(
        '--reporter <kind>',
        'ink: live dashboard; plain: one line per event; json: JSON lines (default: ink on a terminal, json otherwise)',
      ).choices(REPORTERS),
    )
    .action(async (file: string, flags: Flags) => {
      const overrides = {
        ...(flags.name === undefined ? {} : { name: flags.name }),
        ...(flags.seed === undefined ? {} : { seed: flags.seed }),
        ...(flags.workers === undefined ? {} : { workers: flags.workers }),
      };
      const config = await loadConfig(file, overrides);
      checkDataAvailable(config, displayPath(file));
      const status = await runSession(config, flags.reporter, (hooks) => startSearch(config, hooks));
      if (status === 'stopped') process.exitCode = STOPPED_EXIT_CODE;
    });
}
