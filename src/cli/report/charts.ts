// The report's charts as Vega-Lite specs (pure data in, JSON spec out; rendered by render.ts).
import type { TopLevelSpec } from 'vega-lite';
import { bestSoFar, type TrialCurve, type TrialPoint } from './report-data.js';

const WIDTH = 520;
const HEIGHT = 300;
const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';
/** What every chart of the report shares: schema, size, background, fonts, axes. */
export const BASE = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: WIDTH,
  height: HEIGHT,
  background: 'white',
  padding: 12,
  config: {
    font: FONT,
    title: { fontSize: 15, anchor: 'start' as const, offset: 10 },
    axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: '#e8e8e8' },
    legend: { labelFontSize: 11, titleFontSize: 12 },
    view: { stroke: '#ccc' },
  },
};
const ACCURACY_AXIS = { title: 'validation accuracy', axis: { format: '.0%' }, scale: { zero: false } };

/** Best-so-far validation accuracy (line) over every trial's accuracy (dots), by trial number. */
export function progressChart(points: readonly TrialPoint[]): TopLevelSpec {
  const values = bestSoFar(points);
  return {
    ...BASE,
    title: {
      text: 'Best validation accuracy so far',
      subtitle: 'dots: each complete trial · line: the best up to that trial',
      subtitleColor: '#666',
    },
    data: { values },
    encoding: {
      x: { field: 'number', type: 'quantitative', title: 'trial number', axis: { tickMinStep: 1, format: 'd' } },
    },
    layer: [
      {
        mark: { type: 'line', interpolate: 'step-after', color: '#d62728', strokeWidth: 2.5 },
        encoding: { y: { field: 'best', type: 'quantitative', ...ACCURACY_AXIS } },
      },
      {
        mark: { type: 'point', filled: true, size: 40, color: '#5f6b7a', stroke: 'white', strokeWidth: 0.8 },
        encoding: { y: { field: 'accuracy', type: 'quantitative' } },
      },
    ],
  } as TopLevelSpec;
}

/** Accuracy against a cost figure, the non-dominated trials highlighted and joined as a front. */
export function paretoChart(points: readonly TrialPoint[], cost: 'macs' | 'params'): TopLevelSpec {
  const flag = cost === 'macs' ? 'paretoMacs' : 'paretoParams';
  const label = cost === 'macs' ? 'MACs' : 'parameters';
  const values = points.map((p) => ({
    number: p.number,
    label: `#${p.number}`,
    accuracy: p.accuracy,
    cost: p[cost],
    front: p[flag] ? 'Pareto front' : 'dominated',
  }));
  const x = {
    field: 'cost',
    type: 'quantitative',
    title: `${label} (log scale)`,
    scale: { type: 'log', nice: false, padding: 12 },
    axis: { format: '~s' },
  };
  return {
    ...BASE,
    title: `Validation accuracy vs ${label}`,
    data: { values },
    layer: [
      {
        transform: [{ filter: "datum.front === 'Pareto front'" }],
        mark: { type: 'line', interpolate: 'step-after', color: '#d62728', strokeWidth: 1.5, strokeDash: [4, 3] },
        encoding: { x, y: { field: 'accuracy', type: 'quantitative', ...ACCURACY_AXIS } },
      },
      {
        mark: { type: 'point', filled: true, size: 70, stroke: 'white', strokeWidth: 0.8 },
        encoding: {
          x,
          y: { field: 'accuracy', type: 'quantitative' },
          color: {
            field: 'front',
            type: 'nominal',
            title: null,
            scale: { domain: ['Pareto front', 'dominated'], range: ['#d62728', '#9aa5b1'] },
            legend: { orient: 'bottom-right' },
          },
          tooltip: [
            { field: 'number', title: 'trial' },
            { field: 'accuracy', format: '.2%' },
            { field: 'cost', format: '~s' },
          ],
        },
      },
      {
        transform: [{ filter: "datum.front === 'Pareto front'" }],
        mark: { type: 'text', align: 'left', dx: 6, dy: -9, fontSize: 10, color: '#8b1a1a' },
        encoding: { x, y: { field: 'accuracy', type: 'quantitative' }, text: { field: 'label', type: 'nominal' } },
      },
    ],
  } as TopLevelSpec;
}

/**
 * Per-epoch validation accuracy and loss of the top trials, one colour per trial; PRUNED trials' curves
 * in grey beneath them, each ending with a cross at the epoch it was stopped at.
 */
export function curvesChart(curves: readonly TrialCurve[]): TopLevelSpec {
  const values = curveValues(curves);
  if (values.length === 0)
    return emptyChart('Validation curves of the top trials', 'no per-epoch figures recorded for these trials');
  const x = { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1, format: 'd' } };
  const color = {
    field: 'trial',
    type: 'nominal',
    title: 'top trials',
    scale: { scheme: 'tableau10' },
    sort: curves.filter((c) => !c.pruned).map((c) => `trial ${c.number}`),
  };
  const panel = (field: string, title: string, extra: object) => {
    const y = { field, type: 'quantitative', title, scale: { zero: false }, ...extra };
    return {
      width: 250,
      height: 240,
      layer: [
        {
          transform: [{ filter: 'datum.pruned' }],
          mark: { type: 'line', color: PRUNED_GREY, strokeWidth: 1 },
          encoding: { x, y, detail: { field: 'trial', type: 'nominal' } },
        },
        {
          transform: [{ filter: 'datum.stopped' }],
          mark: { type: 'point', shape: 'cross', color: PRUNED_GREY, size: 40 },
          encoding: { x, y },
        },
        {
          transform: [{ filter: '!datum.pruned' }],
          mark: { type: 'line', point: { filled: true, size: 30 }, strokeWidth: 2 },
          encoding: { x, y, color },
        },
      ],
    };
  };
  const pruned = curves.some((c) => c.pruned && c.epochs.length > 0);
  return {
    ...BASE,
    width: undefined,
    height: undefined,
    title: {
      text: 'Validation curves of the top trials',
      ...(pruned ? { subtitle: 'grey: pruned trials, up to the epoch they were stopped at (×)' } : {}),
    },
    data: { values },
    hconcat: [
      panel('accuracy', 'validation accuracy', { axis: { format: '.0%' } }),
      panel('loss', 'validation loss', {}),
    ],
  } as TopLevelSpec;
}

const PRUNED_GREY = '#b3b3b3';

/** The chart's rows: one per trial and epoch; a pruned trial's rows are `pruned`, its last one also `stopped`. */
export function curveValues(curves: readonly TrialCurve[]) {
  return curves.flatMap((c) =>
    c.epochs.map((e, i) => ({
      trial: `trial ${c.number}`,
      epoch: e.epoch,
      accuracy: e.validationAccuracy,
      loss: Number.isFinite(e.validationLoss) ? e.validationLoss : null,
      pruned: c.pruned,
      stopped: c.pruned && i === c.epochs.length - 1,
    })),
  );
}

/** A titled placeholder with a note, for charts without data. */
function emptyChart(title: string, note: string): TopLevelSpec {
  return {
    ...BASE,
    height: 60,
    title,
    data: { values: [{ note }] },
    mark: { type: 'text', fontSize: 14, color: '#666' },
    encoding: { text: { field: 'note' } },
  } as TopLevelSpec;
}
