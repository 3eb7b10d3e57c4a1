// The one-shot (DARTS) charts of the report: α per edge over the search epochs, and the search's curves.
import type { TopLevelSpec } from 'vega-lite';
import type { OneShotEpoch } from '../../core/events.js';
import { BASE } from './charts.js';
import { edgeLabel, type AlphaRow, type OneShotReport, relaxedCells } from './oneshot-data.js';

/** The α figure's title (per cell: ": normal cell" added when there are several). */
export const ALPHA_TITLE = 'Architecture weights α over search epochs';

const PANELS_PER_ROW = 5;
const EPOCH_AXIS = {
  field: 'epoch',
  type: 'quantitative',
  title: 'search epoch',
  axis: { tickMinStep: 1, format: 'd' },
};

/**
 * softmax(α) of one cell over the search epochs: one small line chart per edge (a facet, edges in
 * relaxation order), one colour per op, a y scale shared by all panels so edges compare.
 */
export function alphaChart(report: OneShotReport, rows: readonly AlphaRow[], cell: string): TopLevelSpec {
  const relaxed = relaxedCells(report).find((c) => c.name === cell);
  const edges = (relaxed?.edges ?? []).map((e) => edgeLabel(cell, e.id));
  const ops = [...new Set((relaxed?.edges ?? []).flatMap((e) => e.ops))];
  const values = rows.filter((r) => r.cell === cell);
  const several = relaxedCells(report).length > 1;
  return {
    ...BASE,
    width: undefined,
    height: undefined,
    title: {
      text: several ? `${ALPHA_TITLE}: ${cell} cell` : ALPHA_TITLE,
      subtitle: 'softmax(α) of each candidate op, one panel per edge',
      subtitleColor: '#666',
    },
    data: { values },
    columns: Math.min(PANELS_PER_ROW, Math.max(1, edges.length)),
    facet: { field: 'edge', type: 'nominal', sort: edges, title: null, header: { labelFontSize: 11, labelPadding: 4 } },
    spec: {
      width: 140,
      height: 90,
      mark: { type: 'line', strokeWidth: 1.8, point: report.epochs.length <= 12 ? { size: 14 } : false },
      encoding: {
        x: { ...EPOCH_AXIS, title: 'epoch' },
        y: {
          field: 'weight',
          type: 'quantitative',
          title: 'softmax(α)',
          scale: { zero: true },
          axis: { format: '.2f', tickCount: 4 },
        },
        color: { field: 'op', type: 'nominal', title: 'op', sort: ops, scale: { domain: ops, scheme: 'tableau10' } },
      },
    },
  } as TopLevelSpec;
}

/** The supernet's training loss, α loss and validation loss, and its accuracies, per search epoch. */
export function searchCurvesChart(epochs: readonly OneShotEpoch[]): TopLevelSpec {
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  const values = epochs.flatMap((e) => [
    { epoch: e.epoch, series: 'train loss', kind: 'loss', value: finite(e.trainLoss) },
    { epoch: e.epoch, series: 'alpha loss', kind: 'loss', value: finite(e.alphaLoss) },
    { epoch: e.epoch, series: 'validation loss', kind: 'loss', value: finite(e.validationLoss) },
    { epoch: e.epoch, series: 'train accuracy', kind: 'accuracy', value: finite(e.trainAccuracy) },
    { epoch: e.epoch, series: 'validation accuracy', kind: 'accuracy', value: finite(e.validationAccuracy) },
  ]);
  const panel = (kind: string, title: string, extra: object) => ({
    width: 250,
    height: 220,
    transform: [{ filter: `datum.kind === '${kind}'` }],
    mark: { type: 'line', point: { filled: true, size: 30 }, strokeWidth: 2 },
    encoding: {
      x: EPOCH_AXIS,
      y: { field: 'value', type: 'quantitative', title, scale: { zero: false }, ...extra },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { scheme: 'tableau10' },
        legend: { orient: 'bottom', direction: 'vertical', labelLimit: 240 },
      },
    },
  });
  return {
    ...BASE,
    width: undefined,
    height: undefined,
    title: 'One-shot search: losses and accuracy per epoch',
    data: { values },
    hconcat: [panel('loss', 'loss', {}), panel('accuracy', 'accuracy', { axis: { format: '.0%' } })],
    resolve: { scale: { color: 'independent' } },
  } as TopLevelSpec;
}
