// The report's "Exported models" section: one table per recorded export, a row per variant, each
// compared with the export's first variant. Formats are shown as stored, whichever they are.
import type { Variant } from '../commands/export/variants.js';
import type { ExportRecord } from '../commands/export/export-event.js';
import { esc } from './escape.js';
import { variantChange } from './variant-change.js';

const NONE = '—';

/** The section for `exports` (newest first), or '' when there is none. */
export function exportsSection(exports: readonly ExportRecord[]): string {
  if (exports.length === 0) return '';
  const intro =
    '<p>What <code>nas export</code> wrote, newest first: each variant was loaded back and measured (latency at batch 1; accuracy on the test set), and is compared with the first variant of its export.</p>';
  return `<h2>Exported models</h2>${intro}\n${exports.map(exportBlock).join('\n')}\n`;
}

function exportBlock(e: ExportRecord): string {
  const heading = `<h3>Trial ${e.trial} · <code>${esc(e.out)}</code> · ${esc(utcMinute(e.at))}</h3>`;
  const note = e.accuracyNote === undefined ? '' : `<p class="meta">Test accuracy ${esc(e.accuracyNote)}.</p>`;
  return `${heading}${variantTable(e.variants)}${note}${e.variants.map(calibrationNote).join('')}`;
}

/** How a full-integer variant was calibrated, where its activation grids are. */
function calibrationNote(v: Variant): string {
  const c = v.calibration;
  if (c === undefined) return '';
  return `<p class="meta">${esc(v.format)}: calibrated on ${esc(String(c.images))} training images with the ${esc(String(c.observer))} observer; activation ranges in <code>${esc(String(c.file))}</code>.</p>`;
}

/** The variants' figures and their change against the first (reference) variant. */
export function variantTable(variants: readonly Variant[]): string {
  const reference = variants[0];
  const head =
    '<tr><th class="l">format</th><th>size (KiB)</th><th>params</th><th>MACs</th><th>latency ms (batch 1)</th><th>test accuracy</th><th>accuracy Δ (points)</th><th>size ×</th><th>latency ×</th></tr>';
  const rows = variants.map((v, i) => {
    const figures = `<td class="l">${esc(v.format)}</td><td>${kib(v.bytes)}</td><td>${count(v.params)}</td><td>${count(v.macs)}</td><td>${latency(v.latencyMs)}</td><td>${percent(v.accuracy)}</td>`;
    if (i === 0 || reference === undefined) return `<tr>${figures}<td class="l" colspan="3">reference</td></tr>`;
    const change = variantChange(reference, v);
    return `<tr>${figures}<td>${points(change.accuracyPoints)}</td><td>${times(change.sizeRatio)}</td><td>${times(change.latencyRatio)}</td></tr>`;
  });
  return `<table>${head}${rows.join('')}</table>`;
}

/** 51234 → "50.0" (KiB, one decimal, thousands separated). */
function kib(bytes: number): string {
  return Number.isFinite(bytes)
    ? (bytes / 1024).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })
    : NONE;
}

function count(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : NONE;
}

function latency(ms: number | null): string {
  return ms !== null && Number.isFinite(ms) ? ms.toFixed(ms < 10 ? 2 : 1) : NONE;
}

function percent(accuracy: number | null): string {
  return accuracy !== null && Number.isFinite(accuracy) ? `${(accuracy * 100).toFixed(2)}%` : NONE;
}

/** +0.12, −1.50, 0.00 (a difference that rounds to zero has no sign). */
function points(delta: number | null): string {
  if (delta === null || !Number.isFinite(delta)) return NONE;
  const text = Math.abs(delta).toFixed(2);
  return Number(text) === 0 ? text : `${delta > 0 ? '+' : '−'}${text}`;
}

function times(ratio: number | null): string {
  return ratio !== null && Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : NONE;
}

/** ms since 1970 → "2025-03-01 12:00 UTC". */
function utcMinute(at: number): string {
  return `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
