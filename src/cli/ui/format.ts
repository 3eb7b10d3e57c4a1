import type { Json } from '../../core/arch.js';
import type { FlagKind } from '../../core/diagnostics.js';
import { metricText, metricTitle } from '../format/metrics.js';

/** Shown for a figure that is missing or not finite. */
export const NONE = '—';

/** 0.73125 → "73.13%". */
export function percent(x: number, digits = 2): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : NONE;
}

/** Milliseconds as a short duration: "0s", "42s", "3m05s", "1h02m". */
export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return NONE;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Milliseconds as a clock "h:mm:ss" (plain-line prefixes). */
export function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

/** A metric or cost figure in its usual unit (the same rules as `nas show`). */
export function metric(name: string, value: number | undefined): string {
  return metricText(name, value);
}

/** The short title of a metric ("val acc" for validationAccuracy), as `nas show` has it; the
 * dashboard marks estimates with "~" in the cell, so its estimated latency column is just "latency". */
export function title(name: string): string {
  return name === 'estimatedLatencyMs' ? 'latency' : metricTitle(name);
}

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A horizontal bar `width` cells wide, filled to `fraction` in eighths of a cell. */
export function bar(fraction: number, width: number): string {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const eighths = Math.round(f * width * 8);
  const full = Math.floor(eighths / 8);
  const partial = EIGHTHS[eighths % 8] ?? '';
  return ('█'.repeat(full) + partial).padEnd(width, '·');
}

/** Text cut to `width` characters (an ellipsis marks the cut) and padded to it. */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length <= width ? text.padEnd(width) : `${text.slice(0, width - 1)}…`;
}

/** A trial's diagnostics flags as a marker, "⚑ vanishing dead-relu" (docs/dashboard.md); '' when none was raised. */
export function flagMarker(kinds: readonly FlagKind[]): string {
  return kinds.length === 0 ? '' : `⚑ ${kinds.join(' ')}`;
}

/** A sample in one line when its space gives no format: JSON without quotes. */
export function compactSample(sample: Json): string {
  return JSON.stringify(sample).replace(/"/g, '').replace(/,/g, ' ');
}
