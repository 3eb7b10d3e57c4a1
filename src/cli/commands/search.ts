import path from 'node:path';
import { Option, type Command } from 'commander';
import { startSearch } from '../../run/search.js';
import { withQueue } from '../../run/queue/open-dispatcher.js';
import { checkEnqueued, readEnqueueFile } from '../../run/enqueue.js';
import { experimentSpace } from '../../run/experiment-space.js';
import type { ExperimentConfig } from '../../run/config.js';
import { DEFAULT_CONFIG, checkDataAvailable, displayPath, loadConfig } from '../config/loader.js';
import { parseInteger, parsePositiveInt } from '../parse.js';
import { REPORTERS, runSession } from './search-session.js';

type Flags = { name?: string; seed?: number; workers?: number; reporter?: string; queue?: string; enqueue?: string };

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
    .option(
      '--queue <url>',
      'run trials on `nas worker` processes fed by the queue at this Redis URL (sets dispatch.queue)',
    )
    .option(
      '--enqueue <file>',
      'evaluate these samples first: a JSON list of samples or { sample } objects, or `nas show --json` output (sets enqueue)',
    )
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
      const loaded = await loadConfig(file, overrides);
      const queued = flags.queue === undefined ? loaded : withQueue(loaded, flags.queue);
      const config = flags.enqueue === undefined ? queued : withEnqueueFile(queued, flags.enqueue);
      checkDataAvailable(config, displayPath(file));
      const status = await runSession(config, flags.reporter, (hooks) => startSearch(config, hooks));
      if (status === 'stopped') process.exitCode = STOPPED_EXIT_CODE;
    });
}

/** The config with `enqueue` set to the samples of `file`, each checked against the config's space (errors name the file). */
function withEnqueueFile(config: ExperimentConfig, file: string): ExperimentConfig {
  const samples = readEnqueueFile(path.resolve(file), file);
  checkEnqueued(experimentSpace(config), samples, file);
  return { ...config, enqueue: samples };
}
