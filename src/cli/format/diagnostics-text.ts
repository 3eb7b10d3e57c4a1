import { clip } from './arch.js';
import { diagnosticRows } from './diagnostic-rows.js';
import type { ShowDiagnosticsJson } from './diagnostics-show.js';
import { flagAt, flagSummary } from './flag-summary.js';
import { table } from './units.js';

const BARS = '▁▂▃▄▅▆▇█';
/** The most characters a trend's sparkline takes. */
const SPARK_WIDTH = 12;

/** `nas show --trial N --diagnostics` as text: a heading, then one row per layer, flagged rows marked with `!`. */
export function diagnosticsLines(show: ShowDiagnosticsJson, width = 120): string[] {
  const { trial, diagnostics: d } = show;
  const name = `trial ${trial.number} of ${show.experiment} (${trial.state})`;
  if (d === null)
    return [
      `${name} has no diagnostics: they were off when it trained (turn them on with \`train: { diagnostics: true }\` in the config; docs/training.md, *Diagnostics*)`,
    ];
  const every = d.every === null ? '' : ` every ${d.every} steps`;
  const steps = d.steps === null ? '' : ` (steps ${d.steps[0]}–${d.steps[1]})`;
  const flags = d.flags.length === 0 ? 'no flags' : `flags: ${flagSummary(d.flags)}`;
  const lines = [`${name}: diagnostics${every}, ${d.checks} check${d.checks === 1 ? '' : 's'}${steps}; ${flags}`];
  lines.push(clip(`  architecture ${trial.arch}`, width), '');
  const rows = diagnosticRows(d);
  if (rows.length === 0) return [...lines, '  (no checks stored yet)'];
  const header = [
    '',
    'layer',
    'op',
    'grad norm first → last',
    'trend',
    'weight norm',
    'dead',
    '|mean|',
    'std',
    'flags',
  ];
  const cells = rows.map((r) => [
    r.flags.length > 0 ? '!' : '',
    r.layer,
    r.op,
    r.gradient,
    r.gradNorm === null ? '' : sparkline(r.gradNorm.values),
    r.weight,
    r.dead,
    r.meanAbs,
    r.std,
    r.flags.map(flagAt).join(' '),
  ]);
  lines.push(...table([header, ...cells], new Set([5, 6, 7, 8])).map((l) => clip(`  ${l}`, width)));
  lines.push(
    '',
    'trend: the gradient norm over the checks (log scale); weight norm, dead, |mean|, std: at the last check.',
    "dead: a ReLU's channels that are 0 for every probe image; |mean|, std: the mean over channels of |mean| and of std,",
    "of a BatchNorm's normalised output (near 0 and 1 when healthy) or of a block's output.",
  );
  return lines;
}

/**
 * A series as bars on a log scale (gradient norms span orders of magnitude), at most
 * {@link SPARK_WIDTH} wide (longer series are sampled evenly, first and last kept); a value that is 0
 * is the lowest bar, one that is not finite `×`.
 */
export function sparkline(values: readonly number[]): string {
  const n = Math.min(values.length, SPARK_WIDTH);
  const picked = Array.from(
    { length: n },
    (_, i) => values[n === 1 ? 0 : Math.round((i * (values.length - 1)) / (n - 1))] as number,
  );
  const logs = picked.filter((v) => Number.isFinite(v) && v > 0).map(Math.log10);
  const [lo, hi] = [Math.min(...logs), Math.max(...logs)];
  return picked
    .map((v) => {
      if (!Number.isFinite(v)) return '×';
      if (v <= 0) return BARS[0];
      const level = hi > lo ? Math.round(((Math.log10(v) - lo) / (hi - lo)) * (BARS.length - 1)) : BARS.length >> 1;
      return BARS[level];
    })
    .join('');
}
