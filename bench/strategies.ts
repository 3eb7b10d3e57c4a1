// Search strategies on the NAS-Bench-201 CIFAR-10 table (look-ups instead of training): for each
// strategy, the mean best test accuracy after N evaluations over R seeded runs, its spread, and how
// often a run reached the table's maximum. The table is the user's own copy of the benchmark
// (never shipped with the project); the figures go to docs/strategies.md.
//
//   npx tsx bench/strategies.ts [--table FILE] [--runs 200] [--evals 50,100,150] [--only random,tpe,…] [--seed 0]
import { benchStrategy, type BenchResult } from '../src/cli/commands/bench/bench-strategies.js';
import { STRATEGIES } from '../src/search/registry.js';
import { readBenchmarkTable } from '../src/space/benchmark-table.js';
import { createSpace } from '../src/space/spaces/index.js';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const tablePath = arg('--table', process.env.NB201_TABLE ?? '/work/shared/benchmarks/nb201-cifar10.csv');
const runs = Number(arg('--runs', '200'));
const evals = arg('--evals', '50,100,150').split(',').map(Number);
const seed = arg('--seed', '0');
const only = arg('--only', '')
  .split(',')
  .filter((s) => s.length > 0);

type Variant = { label: string; strategy: string; options: Record<string, unknown> };

/** Ablations that show what a default buys, each run after its strategy at its defaults. */
const ABLATIONS: readonly Variant[] = [
  {
    label: 'regularized-evolution (P 20, S 5, no dedupe)',
    strategy: 'regularized-evolution',
    options: { sampleSize: 5, dedupe: false },
  },
  {
    label: 'regularized-evolution (crossover 0.25)',
    strategy: 'regularized-evolution',
    options: { crossoverRate: 0.25 },
  },
  {
    label: 'regularized-evolution (crossover 0.5)',
    strategy: 'regularized-evolution',
    options: { crossoverRate: 0.5 },
  },
  { label: 'regularized-evolution (crossover 1)', strategy: 'regularized-evolution', options: { crossoverRate: 1 } },
  { label: 'tpe (multivariate)', strategy: 'tpe', options: { multivariate: true } },
];

/** Every registered multi-trial strategy at its defaults, in the registry's order, with its ablations. */
const VARIANTS: readonly Variant[] = STRATEGIES.flatMap((s) => [
  { label: s.name, strategy: s.name, options: {} },
  ...ABLATIONS.filter((a) => a.strategy === s.name),
]);

const space = createSpace('nb201');
const table = readBenchmarkTable(tablePath, space);
const metric = 'cifar10_test_acc';
const out = (line: string) => process.stdout.write(`${line}\n`);

out(
  `NAS-Bench-201 CIFAR-10 (${table.size} cells, max ${table.max(metric).toFixed(4)}), ${runs} runs per strategy, seed ${seed}`,
);
out(
  `| strategy | ${evals.map((n) => `best after ${n}`).join(' | ')} | optimum by ${evals.map(String).join(' / ')} | s / run |`,
);
out(`| --- | ${evals.map(() => '---').join(' | ')} | --- | --- |`);
for (const v of VARIANTS.filter((x) => only.length === 0 || only.includes(x.strategy))) {
  const r: BenchResult = benchStrategy({
    space,
    table,
    metric,
    strategy: v.strategy,
    options: v.options,
    runs,
    evals,
    seed,
    onRun: (i) => process.stderr.write(`\r${v.label}: run ${i + 1}/${runs}   `),
  });
  process.stderr.write('\n');
  const figures = evals.map((n) => r.results[String(n)]).map((f) => `${f?.mean.toFixed(3)} ± ${f?.std.toFixed(2)}`);
  const rates = evals.map((n) => `${Math.round(100 * (r.results[String(n)]?.optimum_rate ?? 0))}%`).join(' / ');
  out(`| ${v.label} | ${figures.join(' | ')} | ${rates} | ${(r.seconds / runs).toFixed(3)} |`);
}
