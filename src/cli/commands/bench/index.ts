import type { Command } from 'commander';
import { benchStrategy, type BenchResult } from './bench-strategies.js';
import { readBenchmarkTable } from '../../../space/benchmark-table.js';
import { findStrategy } from '../../../search/index.js';
import { createSpace } from '../../../space/spaces/index.js';
import { printJson, printLine } from '../../output.js';
import { parseJsonObject, parsePositiveInt } from '../../parse.js';

function parseEvals(value: string): number[] {
  return value.split(',').map((n) => parsePositiveInt(n.trim()));
}

function parseSeed(value: string): number | string {
  return /^-?\d+$/.test(value) ? Number(value) : value;
}

type Flags = {
  space: string;
  table: string;
  metric: string;
  strategy: string;
  options?: Record<string, unknown>;
  runs: number;
  evals: number[];
  seed: number | string;
  json?: boolean;
};

/** The result as aligned text lines. */
function benchLines(r: BenchResult): string[] {
  const pad = (s: string, n: number) => s.padStart(n);
  return [
    `${r.strategy} ${JSON.stringify(r.options)} on ${r.space}: ${r.runs} runs (seed ${r.seed}), maximising ${r.metric} of ${r.table} (max ${r.max})`,
    `${pad('evals', 7)} ${pad('mean best', 11)} ${pad('std', 8)} ${pad('optimum', 8)}`,
    ...Object.entries(r.results).map(
      ([n, f]) =>
        `${pad(n, 7)} ${pad(f.mean.toFixed(3), 11)} ${pad(f.std.toFixed(3), 8)} ${pad(`${(100 * f.optimum_rate).toFixed(1)}%`, 8)}`,
    ),
    `${r.seconds.toFixed(1)} s`,
  ];
}

/** `nas bench`: a strategy run R times against a tabular benchmark (look-ups, no training), best-so-far figures per N. */
export function registerBench(program: Command): void {
  program
    .command('bench')
    .description(
      'run a strategy many times against a tabular benchmark (look-ups instead of training): mean best value after N evaluations, optimum rate',
    )
    .requiredOption('--space <id>', 'the search space of the table (nb201)')
    .requiredOption(
      '--table <file>',
      "CSV with columns index,arch,<metrics…> in the benchmark's index order and string form (bring your own copy)",
    )
    .requiredOption('--metric <column>', 'the table column to maximise, e.g. cifar10_test_acc')
    .requiredOption('--strategy <name>', 'a strategy (`nas list strategies`)')
    .option('--options <JSON>', "the strategy's options, e.g. '{\"populationSize\":20}'", parseJsonObject)
    .requiredOption('--runs <R>', 'seeded runs', parsePositiveInt)
    .requiredOption('--evals <N,…>', 'evaluation counts to report, e.g. 50,100,150', parseEvals)
    .option('--seed <S>', 'run r is seeded "<S>/run-<r>"', parseSeed, 0)
    .option('--json', 'print one JSON object')
    .action((flags: Flags) => {
      findStrategy(flags.strategy);
      const space = createSpace(flags.space);
      const table = readBenchmarkTable(flags.table, space);
      table.max(flags.metric);
      const result = benchStrategy({
        space,
        table,
        metric: flags.metric,
        strategy: flags.strategy,
        options: flags.options ?? {},
        runs: flags.runs,
        evals: flags.evals,
        seed: flags.seed,
      });
      if (flags.json) printJson(result);
      else for (const line of benchLines(result)) printLine(line);
    });
}
