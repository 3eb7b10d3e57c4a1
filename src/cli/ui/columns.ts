import type { Trial } from '../../core/trial.js';
import type { Objective } from '../../run/config.js';
import { metricOf } from '../../search/objective.js';
import { table } from '../format/units.js';
import { fit, metric, NONE, title } from './format.js';

/** A column of a trial table: its title and how a trial's cell reads. */
export interface Column {
  readonly title: string;
  readonly cell: (trial: Trial) => string;
}

/** Latency of a trial: measured when it was, else the cost model's estimate marked "~". */
export function latency(trial: Trial): string {
  const cost = trial.outcome?.cost;
  if (cost === undefined) return NONE;
  if (cost.measuredLatencyMs !== undefined) return metric('measuredLatencyMs', cost.measuredLatencyMs);
  return `~${metric('estimatedLatencyMs', cost.estimatedLatencyMs)}`;
}

/** A column of one metric or cost figure. */
export function metricColumn(name: string): Column {
  return { title: title(name), cell: (t) => metric(name, metricOf(t, name)) };
}

const LATENCY: Column = { title: 'latency', cell: latency };

/** The figures every trial table shows after the objectives: accuracy, params, MACs, latency. */
const STANDARD = ['validationAccuracy', 'params', 'macs'];

/** The objectives' columns first, then the standard figures not among them. */
export function trialColumns(objectives: readonly Objective[]): Column[] {
  const names = [...new Set([...objectives.map((o) => o.metric), ...STANDARD])];
  const hasLatency = names.some((n) => /LatencyMs$/.test(n));
  return [...names.map(metricColumn), ...(hasLatency ? [] : [LATENCY])];
}

/** Turns a sample into one line of text (a space's `format`, or {@link compactSample}). */
export type Describe = (sample: Trial['sample']) => string;

/**
 * Lines of a trial table fitted to `width`: a title row, then per trial its rank (when `ranked`),
 * number and the columns right-aligned, and its architecture in what is left of the line.
 */
export function trialTable(
  trials: readonly Trial[],
  columns: readonly Column[],
  options: { readonly width: number; readonly describe: Describe; readonly ranked: boolean },
): string[] {
  const lead = (t: Trial, i: number) => (options.ranked ? [String(i + 1), `#${t.number}`] : [`#${t.number}`]);
  const head = [...(options.ranked ? ['', 'trial'] : ['trial']), ...columns.map((c) => c.title)];
  const rows = [head, ...trials.map((t, i) => [...lead(t, i), ...columns.map((c) => c.cell(t))])];
  const aligned = table(rows, new Set(head.map((_, i) => i)));
  const used = Math.max(...aligned.map((l) => l.length));
  const room = options.width - used - 2;
  if (room < 8) return aligned;
  return aligned.map((line, i) => {
    const trial = trials[i - 1];
    return `${line.padEnd(used)}  ${fit(trial === undefined ? 'architecture' : options.describe(trial.sample), room).trimEnd()}`;
  });
}
