import type { Command } from 'commander';
import { shownLocation } from '../../../backend/storage/index.js';
import { STORAGE_OPTION, displayStorage, storagePath } from '../../config/loader.js';
import { experimentJson } from '../../format/experiment-json.js';
import { lsLines, type LsJson } from '../../format/ls.js';
import { printJson, printLine } from '../../output.js';
import { configAt, readStorage } from '../../../run/experiment-data.js';
import { experimentDisk, storageBytes } from './disk-usage.js';

type Flags = { storage?: string; json?: boolean };

/** `nas ls`: the experiments of a storage (SQLite file or PostgreSQL database) with status, progress, best result and disk use. */
export function registerLs(program: Command): void {
  program
    .command('ls')
    .description(
      'list the experiments in the storage (SQLite file or PostgreSQL database): status, progress against the budget, best result, disk use',
    )
    .option(STORAGE_OPTION.flags, STORAGE_OPTION.description)
    .option('--json', 'print one JSON object (shape in docs/cli.md)')
    .action(async (flags: Flags) => {
      const file = await storagePath(flags.storage);
      const ls: LsJson = await readStorage(file, async (storage) => {
        const summaries = await storage.listExperiments();
        const experiments = await Promise.all(
          summaries.map(async (s) => ({
            ...experimentJson(s, await storage.listTrials(s.id)),
            disk: await experimentDisk(configAt(s, file)),
          })),
        );
        return { storage: shownLocation(file), storageBytes: await storageBytes(file), experiments };
      });
      if (flags.json) printJson(ls);
      else for (const line of lsLines(ls, displayStorage(file))) printLine(line);
    });
}
