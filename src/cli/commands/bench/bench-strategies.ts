import type { Json } from '../../../core/arch.js';
import { OptionsError } from '../../../core/errors.js';
import { Rng } from '../../../core/rng.js';
import type { Trial, TrialCost } from '../../../core/trial.js';
import { createStrategy, metricOf } from '../../../search/index.js';
import type { SearchSpace } from '../../../space/search-space.js';
import type { BenchmarkTable } from '../../../space/benchmark-table.js';

/** What `nas bench` runs: one strategy, R seeded runs of up to max(evals) table look-ups each. */
export interface BenchOptions {
  readonly space: SearchSpace;
  readonly table: BenchmarkTable;
  /** The table column maximised. */
  readonly metric: string;
  readonly strategy: string;
  readonly options?: Readonly<Record<string, unknown>>;
  readonly runs: number;
  /** Evaluation counts at which the best value so far is reported. */
  readonly evals: readonly number[];
  readonly seed?: number | string;
  /** Called after each run with its index (progress). */
  readonly onRun?: (run: number) => void;
}

/** Figures at one evaluation count, over the runs. */
export interface BenchFigures {
  /** Mean of the best metric value found within the first N evaluations. */
  readonly mean: number;
  /** Standard deviation over the runs (population, ddof 0). */
  readonly std: number;
  /** Fraction of runs whose best value equals the table's maximum. */
  readonly optimum_rate: number;
}

/** `nas bench --json`: the contract of docs/architecture.md, plus what the figures were measured on. */
export interface BenchResult {
  readonly strategy: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly space: string;
  readonly table: string;
  readonly metric: string;
  readonly max: number;
  readonly runs: number;
  readonly seed: number | string;
  readonly results: Readonly<Record<string, BenchFigures>>;
  readonly seconds: number;
}

/** Table trials carry no cost figures (the bench optimises a table column only). */
const NO_COST: TrialCost = {
  params: 0,
  paramsTotal: 0,
  macs: 0,
  trainMemoryBytes: 0,
  inferenceMemoryBytes: 0,
  estimatedLatencyMs: 0,
};

/**
 * One search against the table, in process (a tight ask/tell loop, no SQLite, one trial at a time):
 * per evaluation, the best metric value so far (NaN before the first success). Stops early when the
 * strategy is done.
 */
export function benchRun(
  o: Omit<BenchOptions, 'runs' | 'evals' | 'onRun'>,
  evaluations: number,
  seed: string,
): number[] {
  const strategy = createStrategy(
    o.strategy,
    { space: o.space, rng: new Rng(seed), objectives: [{ metric: o.metric, direction: 'max' }] },
    o.options ?? {},
  );
  const trials: Trial[] = [];
  const best: number[] = [];
  let top = Number.NaN;
  try {
    while (trials.length < evaluations) {
      const proposal = strategy.ask({ trials, running: 0 });
      if (proposal.kind === 'done') break;
      if (proposal.kind === 'wait') throw new Error(`strategy "${o.strategy}" answered wait with no trial running`);
      const trial = lookUp(o, trials.length, proposal.sample);
      trials.push(trial);
      strategy.tell(trial);
      const value = metricOf(trial, o.metric);
      if (value !== undefined && !(value <= top)) top = value;
      best.push(top);
    }
  } finally {
    strategy.dispose?.();
  }
  return best;
}

function lookUp(o: Pick<BenchOptions, 'space' | 'table'>, n: number, sample: Json): Trial {
  const key = o.space.key(sample);
  const metrics = o.table.lookup(key);
  const base = { id: n + 1, number: n, sample, key, startedAt: n, finishedAt: n };
  if (metrics === undefined) return { ...base, state: 'FAILED', reason: 'error', message: 'not in the table' };
  return { ...base, state: 'COMPLETE', outcome: { metrics, cost: NO_COST, epochs: [], seconds: 0 } };
}

/** Runs the strategy R times (run r seeded `${seed}/run-${r}`) and reports each N's mean best, spread and optimum rate. */
export function benchStrategy(o: BenchOptions): BenchResult {
  if (!Number.isInteger(o.runs) || o.runs < 1)
    throw new OptionsError(`runs: expected a positive integer, got ${o.runs}`);
  if (o.evals.length === 0 || o.evals.some((n) => !Number.isInteger(n) || n < 1))
    throw new OptionsError(`evals: expected positive integers, got ${o.evals.join(',')}`);
  const started = performance.now();
  const max = o.table.max(o.metric);
  const seed = o.seed ?? 0;
  const horizon = Math.max(...o.evals);
  const curves: number[][] = [];
  for (let r = 0; r < o.runs; r++) {
    curves.push(benchRun(o, horizon, `${seed}/run-${r}`));
    o.onRun?.(r);
  }
  const results: Record<string, BenchFigures> = {};
  for (const n of o.evals) {
    const values = curves.map((c) => c[Math.min(n, c.length) - 1] ?? Number.NaN);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
    results[String(n)] = { mean, std, optimum_rate: values.filter((v) => v === max).length / values.length };
  }
  return {
    strategy: o.strategy,
    options: o.options ?? {},
    space: o.space.id,
    table: o.table.source,
    metric: o.metric,
    max,
    runs: o.runs,
    seed,
    results,
    seconds: (performance.now() - started) / 1000,
  };
}
