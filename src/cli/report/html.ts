// The report page: one self-contained HTML document (inline SVG, inline CSS, no scripts).
import type { OneShotEpoch } from '../../core/events.js';
import type { Trial } from '../../core/trial.js';
import { metricOf } from '../../search/objective.js';
import { metricText } from '../format/metrics.js';
import type { DiagnosticsReport } from './diagnostics-data.js';
import { diagnosticsSection } from './diagnostics-html.js';
import { esc } from './escape.js';
import { exportsSection } from './exports-html.js';
import { reviewSection } from './review-html.js';
import type { ReportData } from './report-data.js';
import type { Figure } from './figure.js';

const STYLE = `body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:2rem auto;max-width:1150px;color:#222;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}
.meta{color:#555}.figs{display:flex;flex-wrap:wrap;gap:1.5rem}figure{margin:0}figcaption{font-size:.85rem;color:#666}
figure svg{max-width:100%;height:auto}table{border-collapse:collapse;font-size:.9rem}th,td{padding:.3rem .7rem;border-bottom:1px solid #e4e4e4;text-align:right}
th{background:#f4f6f8}td.l,th.l{text-align:left}code{font-size:.85rem}h3{font-size:1rem;margin:1.4rem 0 .5rem}`;

/** The whole page for `data`, with `charts`, `drawings`, the one-shot search's figures (`oneShot`) and the training diagnostics' inline. */
export function reportHtml(
  data: ReportData,
  charts: readonly Figure[],
  drawings: readonly Figure[],
  oneShot: readonly Figure[] = [],
  diagnostics: { readonly report: DiagnosticsReport | undefined; readonly figures: readonly Figure[] } = {
    report: undefined,
    figures: [],
  },
): string {
  const c = data.config;
  const failed = data.trials.filter((t) => t.state === 'FAILED' || t.state === 'PRUNED');
  const done = data.trials.filter((t) => t.state === 'COMPLETE').length;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>nas report: ${esc(data.name)}</title><style>${STYLE}</style></head><body>
<h1>Experiment ${esc(data.name)}</h1>
<p class="meta">${esc(data.status)} · space <code>${esc(c.space.name)}</code> ${esc(JSON.stringify(c.space.options))} · data set <code>${esc(c.dataset.name)}</code> · strategy <code>${esc(c.strategy.name)}</code> ·
${data.trials.length} trials (${done} complete, ${failed.length} failed or pruned) · objective: ${data.objective.direction} ${esc(data.objective.metric)}</p>
<h2>Search progress and cost</h2><div class="figs">${charts.map(figure).join('\n')}</div>
${data.oneShot === undefined ? '' : `<h2>One-shot search</h2><div class="figs">${oneShot.map(figure).join('\n')}</div>\n${oneShotTable(data.oneShot.epochs)}\n`}<h2>Best architectures</h2><div class="figs">${drawings.length > 0 ? drawings.map(figure).join('\n') : '<p>No complete trial yet.</p>'}</div>
<h2>Top trials</h2>${topTable(data)}
${reviewSection(data)}${diagnosticsSection(diagnostics.report, diagnostics.figures, figure)}${exportsSection(data.exports)}<h2>Failures</h2>${failureTable(failed)}
</body></html>
`;
}

function figure(f: Figure): string {
  return `<figure>${f.svg}<figcaption>${esc(f.title)} · <a href="${esc(f.png)}">PNG</a></figcaption></figure>`;
}

const COLUMNS = ['validationAccuracy', 'validationLoss', 'testAccuracy', 'params', 'macs', 'estimatedLatencyMs'];

function topTable(data: ReportData): string {
  const top = data.ranked.slice(0, 10);
  if (top.length === 0) return '<p>No complete trial yet.</p>';
  const columns = COLUMNS.filter((m) => top.some((t) => metricOf(t, m) !== undefined));
  const head = `<tr><th>rank</th><th>trial</th>${columns.map((m) => `<th>${esc(m)}</th>`).join('')}<th>epochs</th><th>seconds</th><th class="l">sample</th></tr>`;
  const rows = top.map((t, i) => {
    const cells = columns.map((m) => `<td>${esc(metricText(m, metricOf(t, m)))}</td>`).join('');
    return `<tr><td>${i + 1}</td><td>${t.number}</td>${cells}<td>${t.outcome?.epochs.length ?? 0}</td><td>${(t.outcome?.seconds ?? 0).toFixed(1)}</td><td class="l"><code>${esc(data.sampleText[t.number] ?? JSON.stringify(t.sample))}</code></td></tr>`;
  });
  return `<table>${head}${rows.join('')}</table>`;
}

function oneShotTable(epochs: readonly OneShotEpoch[]): string {
  const number = (v: number, digits = 4) => (Number.isFinite(v) ? v.toFixed(digits) : '—');
  const percent = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(2)}%` : '—');
  const head =
    '<tr><th>epoch</th><th>train loss</th><th>alpha loss</th><th>val loss</th><th>train acc</th><th>val acc</th><th>learning rate</th><th>seconds</th><th class="l">derived architecture</th></tr>';
  const rows = epochs.map(
    (e) =>
      `<tr><td>${e.epoch}/${e.epochs}</td><td>${number(e.trainLoss)}</td><td>${number(e.alphaLoss)}</td><td>${number(e.validationLoss)}</td><td>${percent(e.trainAccuracy)}</td><td>${percent(e.validationAccuracy)}</td><td>${e.learningRate.toPrecision(3)}</td><td>${number(e.seconds, 1)}</td><td class="l"><code>${esc(e.derivedText)}</code></td></tr>`,
  );
  return `<table>${head}${rows.join('')}</table>`;
}

function failureTable(failed: readonly Trial[]): string {
  if (failed.length === 0) return '<p>None.</p>';
  const rows = failed.map(
    (t) =>
      `<tr><td>${t.number}</td><td class="l">${esc(t.state)}</td><td class="l">${esc(t.reason ?? '')}</td><td class="l">${esc(t.message ?? '')}</td></tr>`,
  );
  return `<table><tr><th>trial</th><th class="l">state</th><th class="l">reason</th><th class="l">message</th></tr>${rows.join('')}</table>`;
}
