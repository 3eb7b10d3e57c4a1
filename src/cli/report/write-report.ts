// `nas report`: gather the experiment, draw its charts and best cells, write index.html + PNGs.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ArchSpec } from '../../core/arch.js';
import type { Trial } from '../../core/trial.js';
import { metricOf } from '../../search/objective.js';
import { createSpace } from '../../space/spaces/index.js';
import { architectureDot } from './cell-graph.js';
import { curvesChart, paretoChart, progressChart } from './charts.js';
import { loadDiagnosticsReport } from './diagnostics-data.js';
import { drawDiagnostics } from './diagnostics-figures.js';
import { reportHtml } from './html.js';
import type { Figure } from './figure.js';
import { ALPHA_TITLE, alphaChart, searchCurvesChart } from './oneshot-charts.js';
import { alphaRows, relaxedCells } from './oneshot-data.js';
import { chartSvg, dotSvg, svgPng } from './render.js';
import { loadReportData, TOP_DRAWINGS, type ReportData } from './report-data.js';

/** What {@link writeReport} wrote: the folder and the PNG file names in it. */
export interface ReportResult {
  readonly out: string;
  readonly pngs: readonly string[];
}

/** Writes the report of experiment `name` (SQLite file `file`) into folder `out`. */
export async function writeReport(file: string, name: string, out: string): Promise<ReportResult> {
  const data = await loadReportData(file, name);
  const charts: Figure[] = [
    {
      title: 'Best validation accuracy so far, by trial',
      svg: await chartSvg(progressChart(data.points)),
      png: 'progress.png',
    },
    {
      title: 'Accuracy vs MACs (Pareto front: max accuracy, min MACs)',
      svg: await chartSvg(paretoChart(data.points, 'macs')),
      png: 'pareto-macs.png',
    },
    {
      title: 'Accuracy vs parameters (Pareto front: max accuracy, min parameters)',
      svg: await chartSvg(paretoChart(data.points, 'params')),
      png: 'pareto-params.png',
    },
    {
      title: 'Per-epoch validation accuracy and loss of the top trials',
      svg: await chartSvg(curvesChart(data.curves)),
      png: 'curves.png',
    },
  ];
  const drawings = await drawBest(data);
  const oneShot = await drawOneShot(data);
  const diagnostics = await loadDiagnosticsReport(file, data.config, data.trials);
  const diagnosticFigures = await drawDiagnostics(diagnostics);
  const figures = [...charts, ...oneShot, ...drawings, ...diagnosticFigures];
  await fs.mkdir(out, { recursive: true });
  for (const f of figures) await fs.writeFile(path.join(out, f.png), svgPng(f.svg));
  await fs.writeFile(
    path.join(out, 'index.html'),
    reportHtml(data, charts, drawings, oneShot, { report: diagnostics, figures: diagnosticFigures }),
  );
  return { out, pngs: figures.map((f) => f.png) };
}

/** The one-shot search's figures: α per edge over the epochs (one per cell), then its losses and accuracy. */
async function drawOneShot(data: ReportData): Promise<Figure[]> {
  const report = data.oneShot;
  if (report === undefined) return [];
  const rows = alphaRows(report);
  const cells = relaxedCells(report);
  const figures: Figure[] = [];
  for (const cell of cells) {
    const title = cells.length > 1 ? `${ALPHA_TITLE} (${cell.name} cell)` : ALPHA_TITLE;
    figures.push({
      title,
      svg: await chartSvg(alphaChart(report, rows, cell.name)),
      png: `alpha-${cell.name.replace(/[^A-Za-z0-9-]+/g, '-')}.png`,
    });
  }
  figures.push({
    title: 'One-shot search: train loss, alpha loss, validation loss and accuracy per epoch',
    svg: await chartSvg(searchCurvesChart(report.epochs)),
    png: 'oneshot-curves.png',
  });
  return figures;
}

/** The best few trials' architectures drawn with Graphviz. */
async function drawBest(data: ReportData): Promise<Figure[]> {
  const space = createSpace(data.config.space.name, data.config.space.options);
  const figures: Figure[] = [];
  for (const [i, trial] of data.ranked.slice(0, TOP_DRAWINGS).entries()) {
    const title = `#${i + 1}: trial ${trial.number}`;
    const dot = architectureDot(
      data.config.space.name,
      trial.sample,
      frozen(space, trial),
      `${title} (${caption(trial, data)})`,
    );
    figures.push({
      title: `${title}: ${space.format(trial.sample as never)}`,
      svg: svgElement(await dotSvg(dot), `t${trial.number}-`),
      png: `arch-trial-${trial.number}.png`,
    });
  }
  return figures;
}

function frozen(space: ReturnType<typeof createSpace>, trial: Trial): ArchSpec | undefined {
  try {
    return space.freeze(trial.sample as never);
  } catch {
    return undefined;
  }
}

function caption(trial: Trial, data: ReportData): string {
  const v = metricOf(trial, data.objective.metric);
  return v === undefined
    ? data.objective.metric
    : `${data.objective.metric} ${/accuracy/i.test(data.objective.metric) ? `${(v * 100).toFixed(1)}%` : v.toPrecision(4)}`;
}

/** Graphviz's SVG without its XML prolog and doctype, its ids prefixed (unique on the page), for inlining. */
function svgElement(svg: string, prefix: string): string {
  const start = svg.indexOf('<svg');
  return (start < 0 ? svg : svg.slice(start)).replace(/ id="/g, ` id="${prefix}`);
}
