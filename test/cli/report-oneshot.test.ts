import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import type { Json } from '../../src/core/arch.js';
import type { OneShotEpoch, OneShotStart } from '../../src/core/events.js';
import { ALPHA_TITLE, alphaChart, searchCurvesChart } from '../../src/cli/report/oneshot-charts.js';
import { alphaRows, oneShotEpochs, type OneShotReport } from '../../src/cli/report/oneshot-data.js';
import { chartSvg, svgPng } from '../../src/cli/report/render.js';
import { loadReportData } from '../../src/cli/report/report-data.js';
import { writeReport } from '../../src/cli/report/write-report.js';
import { fixtureStorage } from './fixture-storage.js';
import { tempDir } from './helpers.js';
import { NB201, oneShotEpoch, oneShotStart } from './ui/oneshot-fixtures.js';

const OPS = ['none', 'skip_connect', 'sep_conv_3x3'];
const START: OneShotStart = {
  strategy: 'darts',
  order: 'first',
  epochs: 3,
  startEpoch: 1,
  cells: [
    {
      name: 'normal',
      edges: [
        { id: 'normal.node2.from0', from: 0, to: 2, ops: OPS },
        { id: 'normal.node2.from1', from: 1, to: 2, ops: OPS },
      ],
    },
    { name: 'reduce', edges: [{ id: 'reduce.node2.from0', from: 0, to: 2, ops: OPS }] },
  ],
  estimatedMemoryBytes: 1 << 30,
};

/** Epoch `epoch` of START: skip_connect on normal.node2.from1 grows 0.4 → 0.6 → 0.8 (a collapse toward skip). */
function epoch(epoch: number, trainLoss = 2 - epoch / 2): OneShotEpoch {
  const skip = 0.2 + 0.2 * epoch;
  const rest = (1 - skip) / 2;
  return {
    epoch,
    epochs: 3,
    trainLoss,
    trainAccuracy: 0.2 * epoch,
    alphaLoss: trainLoss + 0.1,
    validationLoss: trainLoss + 0.2,
    validationAccuracy: 0.15 * epoch,
    learningRate: 0.025,
    seconds: 10,
    weights: {
      normal: [
        [0.2, 0.3, 0.5],
        [rest, skip, rest],
      ],
      reduce: [[0.1, 0.1, 0.8]],
    },
    derived: {
      normal: [
        ['sep_conv_3x3', 0],
        ['skip_connect', 1],
      ],
      reduce: [['sep_conv_3x3', 0]],
    },
    derivedText: `derived after ${epoch}`,
    peakMemoryBytes: 1 << 31,
  };
}

const REPORT: OneShotReport = { start: START, epochs: [epoch(1), epoch(2), epoch(3)] };

describe('α over the search epochs: data and chart', () => {
  it('has one row per epoch, edge and op, the edge named without its cell', () => {
    const rows = alphaRows(REPORT);
    expect(rows).toHaveLength(3 * 3 * 3);
    expect(
      rows.filter((r) => r.epoch === 2 && r.cell === 'normal' && r.edge === 'node2.from1' && r.op === 'skip_connect'),
    ).toEqual([{ cell: 'normal', edge: 'node2.from1', op: 'skip_connect', epoch: 2, weight: 0.6000000000000001 }]);
    expect(rows[0]).toEqual({ cell: 'normal', edge: 'node2.from0', op: 'none', epoch: 1, weight: 0.2 });
  });

  it('makes one faceted spec per cell whose data are exactly that cell’s rows', () => {
    const rows = alphaRows(REPORT);
    const spec = alphaChart(REPORT, rows, 'normal') as unknown as {
      data: { values: unknown[] };
      facet: { field: string; sort: string[] };
      columns: number;
      title: { text: string };
    };
    expect(spec.data.values).toHaveLength(3 * 2 * 3);
    expect(spec.data.values).toEqual(rows.filter((r) => r.cell === 'normal'));
    expect(spec.facet).toMatchObject({ field: 'edge', sort: ['node2.from0', 'node2.from1'] });
    expect(spec.columns).toBe(2);
    expect(spec.title.text).toBe(`${ALPHA_TITLE}: normal cell`);
  });

  it('renders through the report’s pipeline to SVG with a panel per edge, and to PNG', async () => {
    const svg = await chartSvg(alphaChart(REPORT, alphaRows(REPORT), 'normal'));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain(`${ALPHA_TITLE}: normal cell`);
    expect(svg).toContain('node2.from0');
    expect(svg).toContain('node2.from1');
    expect(svg).toContain('skip_connect');
    expect(svgPng(svg).length).toBeGreaterThan(1000);
    const curves = await chartSvg(searchCurvesChart(REPORT.epochs));
    expect(curves).toContain('alpha loss');
  });

  it('keeps the last stored payload of an epoch stored twice (a resume), in epoch order, and drops malformed ones', () => {
    const payloads = [epoch(2), epoch(1), epoch(2, 0.5), { epoch: 'x' }, null].map((p) => p as unknown as Json);
    expect(oneShotEpochs(payloads).map((e) => [e.epoch, e.trainLoss])).toEqual([
      [1, 1.5],
      [2, 0.5],
    ]);
  });
});

describe('nas report with a one-shot search', () => {
  let storage = '';
  beforeAll(async () => {
    storage = await fixtureStorage();
    // "beta" gets the events a DARTS search on NB201 stores: its start and three epochs (the first stored twice, as a resume may).
    const s = await openSqliteStorage(storage);
    const beta = await s.getExperiment('beta');
    if (beta === undefined) throw new Error('no experiment beta');
    const start = oneShotStart(NB201, 1, 3);
    await s.appendEvent(beta.id, { type: 'oneshot-started', payload: start as unknown as Json });
    for (const k of [1, 1, 2, 3])
      await s.appendEvent(beta.id, {
        type: 'oneshot-epoch',
        payload: oneShotEpoch(NB201, start, k) as unknown as Json,
      });
    await s.close();
  }, 60_000);

  it('has no α figure for an experiment without one-shot events', async () => {
    expect((await loadReportData(storage, 'alpha')).oneShot).toBeUndefined();
    const out = tempDir('nas-report-');
    const result = await writeReport(storage, 'alpha', out);
    const html = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    expect(html).not.toContain(ALPHA_TITLE);
    expect(html).not.toContain('One-shot search');
    expect(result.pngs.some((p) => p.startsWith('alpha-') || p.startsWith('oneshot-'))).toBe(false);
  });

  it('reads the stored events and writes the α figure, the search curves and the epoch table into the page', async () => {
    const data = await loadReportData(storage, 'beta');
    expect(data.oneShot?.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(data.oneShot?.start?.cells[0]?.edges).toHaveLength(6);
    const out = tempDir('nas-report-');
    const result = await writeReport(storage, 'beta', out);
    const html = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    expect(result.pngs).toEqual(expect.arrayContaining(['alpha-cell.png', 'oneshot-curves.png']));
    expect(html.match(/<svg/g)).toHaveLength(result.pngs.length);
    expect(html).toContain(`<figcaption>${ALPHA_TITLE} · <a href="alpha-cell.png">PNG</a></figcaption>`);
    expect(html).toContain('<h2>One-shot search</h2>');
    expect(html).toMatch(/<tr><td>3\/3<\/td><td>1\.7000<\/td><td>1\.8000<\/td>/);
    expect(html).toContain('|none~0|+|skip_connect~0|nor_conv_3x3~1|');
    for (const file of ['alpha-cell.png', 'oneshot-curves.png'])
      expect(fs.statSync(path.join(out, file)).size).toBeGreaterThan(1000);
  });
});
