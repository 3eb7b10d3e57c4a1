import { Argument, type Command } from 'commander';
import { DATASETS } from '../../backend/data/index.js';
import { ONE_SHOT_STRATEGIES, STRATEGIES } from '../../search/index.js';
import { listOps } from '../../space/index.js';
import { SPACES } from '../../space/spaces/index.js';
import { entryJson, entryLines } from '../format/registry.js';
import { table } from '../format/units.js';
import { printJson, printLine } from '../output.js';

const WHAT = ['spaces', 'strategies', 'datasets', 'ops'] as const;
type What = (typeof WHAT)[number];

/** `nas list spaces|strategies|datasets|ops`: the registries, with each entry's options and defaults. */
export function registerList(program: Command): void {
  program
    .command('list')
    .description(
      'what the registries hold: search spaces, strategies and data sets with their options and defaults, or the op catalog',
    )
    .addArgument(new Argument('<what>', 'which registry').choices(WHAT))
    .option('--json', 'print one JSON array')
    .action((what: What, flags: { json?: boolean }) => {
      if (what === 'ops') {
        const ops = listOps();
        if (flags.json) printJson(ops);
        else
          for (const line of table(
            [['op', 'kind', 'summary'], ...ops.map((o) => [o.name, o.kind, o.summary])],
            new Set(),
          ))
            printLine(line);
        return;
      }
      const entries = (
        what === 'spaces' ? SPACES : what === 'strategies' ? [...STRATEGIES, ...ONE_SHOT_STRATEGIES] : DATASETS
      ).map(entryJson);
      if (flags.json) printJson(entries);
      else for (const line of entryLines(entries)) printLine(line);
    });
}
