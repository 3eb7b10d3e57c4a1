import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import type { Trial } from '../../src/core/trial.js';
import { loadDiagnosticsReport, type DiagnosticsReport } from '../../src/cli/report/diagnostics-data.js';
import { gradientPoints } from '../../src/cli/report/diagnostics-charts.js';
import { writeReport } from '../../src/cli/report/write-report.js';
import { storedConfig } from '../../src/run/stored-config.js';
import { diagnosticsStorage } from './diagnostics-fixture.js';
import { tempDir } from './helpers.js';

let storage = '';
let report: DiagnosticsReport | undefined;
let trials: readonly Trial[] = [];
const stored = new Map<number, Awaited<ReturnType<Awaited<ReturnType<typeof openSqliteStorage>>['listDiagnostics']>>>();

beforeAll(async () => {
  storage = await diagnosticsStorage();
  const s = await openSqliteStorage(storage, { readonly: true });
  const e = await s.getExperiment('diag');
  trials = await s.listTrials(e?.id ?? -1);
  for (const t of trials) stored.set(t.number, await s.listDiagnostics(t.id));
  await s.close();
  report = await loadDiagnosticsReport(storage, storedConfig(e as never), trials);
}, 60_000);

describe("the report's diagnostics", () => {
  it('counts the flags of every diagnosed trial per op and kind', () => {
    expect(report).toMatchObject({ diagnosed: 5, flagged: 5 });
    expect(report?.counts.map((r) => [r.op, r.counts, r.total, r.trials, r.layers, r.of])).toEqual([
      // dead-relu: stem_act of trials 0 and 4 (running), layer1.1_relu1 of trial 3; 11 ReLUs in the five networks (2 + 2 + 2 + 2 + 3).
      ['relu', { vanishing: 0, exploding: 0, 'dead-relu': 3, 'bn-drift': 0, collapse: 0 }, 3, 3, 3, 11],
      ['(global norm)', { vanishing: 0, exploding: 2, 'dead-relu': 0, 'bn-drift': 0, collapse: 0 }, 2, 2, 2, 5],
      ['bn', { vanishing: 0, exploding: 0, 'dead-relu': 0, 'bn-drift': 2, collapse: 0 }, 2, 2, 2, 22],
      ['basic', { vanishing: 0, exploding: 0, 'dead-relu': 0, 'bn-drift': 0, collapse: 1 }, 1, 1, 1, 6],
      ['conv 1×1', { vanishing: 1, exploding: 0, 'dead-relu': 0, 'bn-drift': 0, collapse: 0 }, 1, 1, 1, 5],
      ['conv 3×3', { vanishing: 1, exploding: 0, 'dead-relu': 0, 'bn-drift': 0, collapse: 0 }, 1, 1, 1, 17],
    ]);
  });

  it('shows the most flagged trials first, their curves from the stored checks', () => {
    expect(report?.trials.map((t) => [t.number, t.view.flags.length])).toEqual([
      [0, 3],
      [2, 3],
      [6, 2],
      [3, 1],
      [4, 1],
    ]);
    const view = report?.trials[0]?.view;
    const points = view === undefined ? [] : gradientPoints(view);
    const checks = (stored.get(0) ?? []).flatMap((e) => e.checks);
    for (const layer of ['stem', 'layer1.0_conv2', 'fc']) {
      const curve = points.filter((p) => p.layer === layer);
      expect(
        curve.map((p) => [p.step, p.gradNorm]),
        layer,
      ).toEqual(checks.map((c) => [c.step, c.layers?.find((l) => l.layer === layer)?.gradNorm]));
    }
    expect([...new Set(points.filter((p) => p.flagged).map((p) => p.layer))]).toEqual([
      'layer1.0_conv2',
      'layer1.0_proj',
    ]);
    expect(points.filter((p) => p.label !== null).map((p) => [p.step, p.label])).toEqual([
      [60, 'layer1.0_conv2 (vanishing)'],
      [60, 'layer1.0_proj (vanishing)'],
    ]);
  });

  it('writes the section: the counts, one gradient chart and layer table per shown trial, flagged rows marked', async () => {
    const out = tempDir('nas-report-diag-');
    const result = await writeReport(storage, 'diag', out);
    // Trial 3 measured activations only: a table, no gradient chart.
    expect(result.pngs.filter((f) => /^(gradients|diagnostic)/.test(f))).toEqual([
      'diagnostic-flags.png',
      'gradients-trial-0.png',
      'gradients-trial-2.png',
      'gradients-trial-6.png',
      'gradients-trial-4.png',
    ]);
    const html = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    const section = html.slice(html.indexOf('<h2>Training diagnostics</h2>'), html.indexOf('<h2>Failures</h2>'));
    expect(section).toContain(
      '<p>5 trials measured training diagnostics (<code>train.diagnostics</code>, docs/training.md); 5 raised a flag.</p>',
    );
    expect(section).toContain(
      '<tr><td class="l"><code>relu</code></td><td></td><td></td><td>3</td><td></td><td></td><td>3</td><td>3</td><td>3</td><td>11</td></tr>',
    );
    expect(section).toContain('<h3>Trial 0 (COMPLETE) · 6 checks, every 10 steps · flags: vanishing×2 dead-relu</h3>');
    expect(section).toContain(
      '<tr style="background:#fdecea"><td class="l"><code>layer1.0_conv2</code></td><td class="l">conv 3×3</td><td>0.01 → 1e-8</td><td>1e-8 – 0.01</td><td>2.05</td><td></td><td></td><td></td><td class="l">⚠ vanishing@50</td></tr>',
    );
    expect(section).toContain('<tr><td class="l"><code>stem</code></td><td class="l">conv 3×3</td><td>0.5 → 0.25</td>');
    expect(section.match(/style="background:#fdecea"/g)).toHaveLength(3 + 3 + 2 + 1 + 1);
    expect(html.match(/<svg/g)).toHaveLength(result.pngs.length);
  });

  it('has no section when no trial measured diagnostics', async () => {
    const s = await openSqliteStorage(storage, { readonly: true });
    const e = await s.getExperiment('diag');
    await s.close();
    const clean = trials.filter((t) => t.number === 1 || t.number === 5);
    expect(await loadDiagnosticsReport(storage, storedConfig(e as never), clean)).toBeUndefined();
  });
});
