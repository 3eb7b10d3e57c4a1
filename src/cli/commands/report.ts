import path from 'node:path';
import type { Command } from 'commander';
import { writeReport } from '../report/write-report.js';
import { STORAGE_OPTION, displayPath, storagePath } from '../config/loader.js';
import { printLine } from '../output.js';

type Flags = { out: string; storage?: string };

/** `nas report <experiment> --out DIR`: a self-contained HTML report with charts (SVG inline, PNG beside it). */
export function registerReport(program: Command): void {
  program
    .command('report')
    .description(
      "write an HTML report of an experiment (index.html with inline SVG charts, PNG copies beside it): progress, accuracy vs cost with the Pareto front, epoch curves, the best cells drawn, the exported models' variants",
    )
    .argument('<experiment>', 'the experiment name (`nas ls` lists them)')
    .requiredOption('--out <dir>', 'the folder to write (created if missing)')
    .option(STORAGE_OPTION.flags, STORAGE_OPTION.description)
    .action(async (name: string, flags: Flags) => {
      const file = await storagePath(flags.storage);
      const result = await writeReport(file, name, path.resolve(flags.out));
      printLine(`wrote ${displayPath(path.join(result.out, 'index.html'))} and ${result.pngs.length} PNG file(s)`);
    });
}
