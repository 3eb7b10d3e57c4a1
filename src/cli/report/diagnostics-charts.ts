// The diagnostics charts of the report: a trial's gradient norm per layer over the checks, and the
// experiment's flags per op and kind.
import type { TopLevelSpec } from 'vega-lite';
import { FLAG_KINDS } from '../../core/diagnostics.js';
import type { DiagnosticsView } from '../format/layer-diagnostics.js';
import { BASE } from './charts.js';
import type { FlagCountRow } from './flag-counts.js';

/** One point of a gradient curve; `label` names a flagged layer at its last point (else null). */
export interface GradientPoint {
  readonly layer: string;
  /** The layer's place in the network, 0 for the first. */
  readonly order: number;
  readonly step: number;
  readonly gradNorm: number;
  readonly flagged: boolean;
  readonly label: string | null;
}

/** The curves' points: every layer's gradient norm at each check, flagged layers marked; values a log scale cannot draw (0, not finite) left out. */
export function gradientPoints(view: DiagnosticsView): GradientPoint[] {
  return view.layers.flatMap((l, order) => {
    const trend = l.gradNorm;
    if (trend === null) return [];
    const flagged = l.flags.length > 0;
    return trend.steps.flatMap((step, i) => {
      const gradNorm = trend.values[i] as number;
      if (!(gradNorm > 0 && Number.isFinite(gradNorm))) return [];
      const label =
        flagged && i === trend.steps.length - 1 ? `${l.layer} (${l.flags.map((f) => f.kind).join(', ')})` : null;
      return [{ layer: l.layer, order, step, gradNorm, flagged, label }];
    });
  });
}

/** A trial's gradient norm per layer over its checks (log scale): layers coloured input → output, flagged layers red and named, the global norm dashed. */
export function gradientChart(number: number, view: DiagnosticsView): TopLevelSpec {
  const points = gradientPoints(view);
  const global = (view.global?.steps ?? []).flatMap((step, i) => {
    const gradNorm = view.global?.values[i] as number;
    return gradNorm > 0 && Number.isFinite(gradNorm) ? [{ step, gradNorm }] : [];
  });
  const x = { field: 'step', type: 'quantitative', title: 'step' };
  const y = {
    field: 'gradNorm',
    type: 'quantitative',
    title: 'gradient norm (log scale)',
    scale: { type: 'log' },
    axis: { format: '~g' },
  };
  const dots = view.checks <= 20;
  const line = (color?: string) => ({
    type: 'line',
    point: dots ? { size: 12, ...(color === undefined ? {} : { color }) } : false,
    ...(color === undefined ? {} : { color }),
  });
  return {
    ...BASE,
    title: {
      text: `Trial ${number}: gradient norm per layer`,
      subtitle: 'red: flagged layers · dashed: the global norm',
      subtitleColor: '#666',
    },
    layer: [
      {
        data: { values: points.filter((p) => !p.flagged) },
        mark: { ...line(), strokeWidth: 1.2, opacity: 0.75 },
        encoding: {
          x,
          y,
          detail: { field: 'layer' },
          color: {
            field: 'order',
            type: 'quantitative',
            title: 'layer (in → out)',
            scale: { scheme: 'viridis' },
            legend: { type: 'gradient', format: 'd' },
          },
        },
      },
      { data: { values: global }, mark: { ...line('#222'), strokeWidth: 1.6, strokeDash: [5, 3] }, encoding: { x, y } },
      {
        data: { values: points.filter((p) => p.flagged) },
        mark: { ...line('#d62728'), strokeWidth: 2.6 },
        encoding: { x, y, detail: { field: 'layer' } },
      },
      {
        data: { values: points.filter((p) => p.label !== null) },
        mark: { type: 'text', align: 'right', dx: -4, dy: -8, fontSize: 10, color: '#8b1a1a' },
        encoding: { x, y, text: { field: 'label', type: 'nominal' } },
      },
    ],
  } as TopLevelSpec;
}

/** The experiment's flags as a grid: one row per op (most flagged first), one column per kind, the count in each cell. */
export function flagCountsChart(rows: readonly FlagCountRow[]): TopLevelSpec {
  const values = rows.flatMap((r) => FLAG_KINDS.map((kind) => ({ op: r.op, kind, count: r.counts[kind] })));
  const x = {
    field: 'kind',
    type: 'nominal',
    title: 'flag',
    scale: { domain: [...FLAG_KINDS] },
    axis: { labelAngle: 0 },
  };
  const y = { field: 'op', type: 'nominal', title: 'op', sort: rows.map((r) => r.op) };
  return {
    ...BASE,
    width: 90 * FLAG_KINDS.length,
    height: Math.max(60, 26 * rows.length),
    title: { text: 'Flags raised per op and kind, over every trial with diagnostics', subtitleColor: '#666' },
    data: { values },
    config: { ...BASE.config, axis: { ...BASE.config.axis, grid: false } },
    transform: [{ filter: 'datum.count > 0' }],
    layer: [
      {
        mark: { type: 'rect', stroke: 'white' },
        encoding: {
          x,
          y,
          color: { field: 'count', type: 'quantitative', title: 'flags', scale: { scheme: 'reds', domainMin: 0 } },
        },
      },
      {
        mark: { type: 'text', fontSize: 12, baseline: 'middle' },
        encoding: { x, y, text: { field: 'count', type: 'quantitative' }, color: { value: '#111' } },
      },
    ],
  } as TopLevelSpec;
}
