// The report's "Training diagnostics" section: which ops get flagged across the experiment, then for
// the most flagged trials their gradient curves and per-layer table, flagged layers marked.
import { FLAG_KINDS } from '../../core/diagnostics.js';
import { diagnosticRows } from '../format/diagnostic-rows.js';
import { flagAt, flagSummary } from '../format/flag-summary.js';
import type { DiagnosticsView } from '../format/layer-diagnostics.js';
import { esc } from './escape.js';
import type { DiagnosticsReport } from './diagnostics-data.js';
import { FLAG_COUNTS_PNG, gradientsPng } from './diagnostics-figures.js';
import type { Figure } from './figure.js';
import type { FlagCountRow } from './flag-counts.js';

/** A flagged row's background. */
const FLAGGED = ' style="background:#fdecea"';

/** The section, or '' when no trial measured diagnostics; `show` draws one of `figures` inline. */
export function diagnosticsSection(
  report: DiagnosticsReport | undefined,
  figures: readonly Figure[],
  show: (f: Figure) => string,
): string {
  if (report === undefined) return '';
  const byPng = new Map(figures.map((f) => [f.png, f]));
  const drawn = (png: string) => {
    const f = byPng.get(png);
    return f === undefined ? '' : `<div class="figs">${show(f)}</div>`;
  };
  const intro = `<p>${report.diagnosed} trial${report.diagnosed === 1 ? '' : 's'} measured training diagnostics (<code>train.diagnostics</code>, docs/training.md); ${report.flagged} raised a flag.</p>`;
  const overview =
    report.counts.length === 0
      ? ''
      : `<h3>What gets flagged</h3><p>Flags per op over every trial with diagnostics: what tends to go wrong in this space.</p>${drawn(FLAG_COUNTS_PNG)}${countsTable(report.counts)}`;
  const trials = report.trials.map(({ number: n, state, view }) => {
    const flags = view.flags.length === 0 ? 'no flags' : `flags: ${esc(flagSummary(view.flags))}`;
    const every = view.every === null ? '' : `, every ${view.every} steps`;
    const heading = `<h3>Trial ${n} (${esc(state)}) · ${view.checks} checks${every} · ${flags}</h3>`;
    return `${heading}${drawn(gradientsPng(n))}${layerTable(view)}`;
  });
  const more =
    report.diagnosed > report.trials.length
      ? `<p class="meta">The ${report.trials.length} most flagged trials of ${report.diagnosed}; <code>nas show &lt;experiment&gt; --trial N --diagnostics</code> shows any trial.</p>`
      : '';
  return `<h2>Training diagnostics</h2>${intro}${overview}\n${more}${trials.join('\n')}\n`;
}

function countsTable(rows: readonly FlagCountRow[]): string {
  const head = `<tr><th class="l">op</th>${FLAG_KINDS.map((k) => `<th>${esc(k)}</th>`).join('')}<th>flags</th><th>trials</th><th>flagged layers</th><th>layers in the networks</th></tr>`;
  const body = rows.map(
    (r) =>
      `<tr><td class="l"><code>${esc(r.op)}</code></td>${FLAG_KINDS.map((k) => `<td>${r.counts[k] === 0 ? '' : r.counts[k]}</td>`).join('')}<td>${r.total}</td><td>${r.trials}</td><td>${r.layers}</td><td>${r.of ?? '—'}</td></tr>`,
  );
  return `<table>${head}${body.join('')}</table>`;
}

function layerTable(view: DiagnosticsView): string {
  const head =
    '<tr><th class="l">layer</th><th class="l">op</th><th>grad norm first → last</th><th>min – max</th><th>weight norm</th><th>dead</th><th>|mean|</th><th>std</th><th class="l">flags</th></tr>';
  const rows = diagnosticRows(view).map((r) => {
    const cells = [r.gradient, r.range, r.weight, r.dead, r.meanAbs, r.std].map((c) => `<td>${esc(c)}</td>`).join('');
    const marks = r.flags.map((f) => `⚠ ${esc(flagAt(f))}`).join(' ');
    return `<tr${r.flags.length > 0 ? FLAGGED : ''}><td class="l"><code>${esc(r.layer)}</code></td><td class="l">${esc(r.op)}</td>${cells}<td class="l">${marks}</td></tr>`;
  });
  return `<table>${head}${rows.join('')}</table><p class="meta">Weight norm, dead, |mean| and std at the last check. Dead: a ReLU's channels that are 0 for every probe image; |mean|, std: the mean over channels of |mean| and of std, of a BatchNorm's normalised output or of a block's output.</p>`;
}
