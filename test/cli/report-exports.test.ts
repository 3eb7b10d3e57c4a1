import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStorage, StorageError } from '../../src/backend/storage/index.js';
import type { Json } from '../../src/core/arch.js';
import type { ShowJson } from '../../src/cli/format/show.js';
import { exportsSection } from '../../src/cli/report/exports-html.js';
import { loadReportData } from '../../src/cli/report/report-data.js';
import { variantChange } from '../../src/cli/report/variant-change.js';
import { writeReport } from '../../src/cli/report/write-report.js';
import {
  EXPORT_EVENT,
  listExports,
  recordExport,
  type ExportPayload,
} from '../../src/cli/commands/export/export-event.js';
import type { Variant } from '../../src/cli/commands/export/variants.js';
import { fixtureStorage } from './fixture-storage.js';
import { runCli, tempDir } from './helpers.js';

const INPUT = { shape: [8, 8, 1], normalization: { mean: [0.1307], std: [0.3081] } };

/** Three variants, the reference first; the last has a format this nas does not know (the report must not care). */
const VARIANTS = [
  {
    format: 'tfjs-layers',
    path: 'model.json',
    bytes: 51234,
    params: 12345,
    macs: 1234567,
    latencyMs: 0.84,
    accuracy: 0.9812,
  },
  {
    format: 'saved-model',
    path: 'saved-model',
    bytes: 40960,
    params: 12001,
    macs: 1200000,
    latencyMs: 0.42,
    accuracy: 0.9806,
  },
  {
    format: 'some-quantized-format',
    path: 'quantized/model.json',
    bytes: 12800,
    params: 12001,
    macs: 1200000,
    latencyMs: 1.05,
    accuracy: 0.975,
  },
] as unknown as Variant[];

const NEWER: ExportPayload = { trial: 2, out: '/exports/beta-all', input: INPUT, variants: VARIANTS };
const OLDER: ExportPayload = {
  trial: 1,
  out: '/exports/beta <first>',
  input: { shape: [8, 8, 1], normalization: null },
  variants: VARIANTS.slice(0, 1).map((v) => ({ ...v, accuracy: null })),
  accuracyNote: 'not measured (--no-accuracy)',
};
const OLDER_AT = Date.UTC(2025, 2, 1, 9, 5, 30);
const NEWER_AT = Date.UTC(2025, 2, 2, 17, 45);

let storage = '';
beforeAll(async () => {
  storage = await fixtureStorage();
  // "beta" gets two recorded exports, stored at known times; "alpha" none.
  for (const [payload, at] of [
    [OLDER, OLDER_AT],
    [NEWER, NEWER_AT],
  ] as const) {
    const s = await openSqliteStorage(storage, { now: () => at });
    const beta = await s.getExperiment('beta');
    if (beta === undefined) throw new Error('no experiment beta');
    await s.appendEvent(beta.id, { type: EXPORT_EVENT, payload: payload as unknown as Json });
    await s.close();
  }
}, 60_000);

describe('variant changes', () => {
  it('are the accuracy difference in points and the size and latency ratios to the reference, null where not measured', () => {
    const [reference, saved, quantized] = VARIANTS as [Variant, Variant, Variant];
    expect(variantChange(reference, saved)).toEqual({
      accuracyPoints: (0.9806 - 0.9812) * 100,
      sizeRatio: 40960 / 51234,
      latencyRatio: 0.5,
    });
    expect(variantChange(reference, quantized)).toEqual({
      accuracyPoints: (0.975 - 0.9812) * 100,
      sizeRatio: 12800 / 51234,
      latencyRatio: 1.05 / 0.84,
    });
    expect(variantChange({ ...reference, accuracy: null, latencyMs: null }, saved)).toEqual({
      accuracyPoints: null,
      sizeRatio: 40960 / 51234,
      latencyRatio: null,
    });
  });
});

describe('nas report with recorded exports', () => {
  it('reads the export events, newest first, with the time each was recorded', async () => {
    const data = await loadReportData(storage, 'beta');
    expect(data.exports).toEqual([
      { ...NEWER, at: NEWER_AT },
      { ...OLDER, at: OLDER_AT },
    ]);
  });

  it('renders a table per export with the stored figures and the changes against the first variant', async () => {
    const out = tempDir('nas-report-exports-');
    await writeReport(storage, 'beta', out);
    const html = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    expect(html).toContain('<h2>Exported models</h2>');
    const newer = html.indexOf('<h3>Trial 2 · <code>/exports/beta-all</code> · 2025-03-02 17:45 UTC</h3>');
    const older = html.indexOf('<h3>Trial 1 · <code>/exports/beta &lt;first&gt;</code> · 2025-03-01 09:05 UTC</h3>');
    expect(newer).toBeGreaterThan(0);
    expect(older).toBeGreaterThan(newer);
    expect(html).toContain(
      [
        '<tr><td class="l">tfjs-layers</td><td>50.0</td><td>12,345</td><td>1,234,567</td><td>0.84</td><td>98.12%</td><td class="l" colspan="3">reference</td></tr>',
        '<tr><td class="l">saved-model</td><td>40.0</td><td>12,001</td><td>1,200,000</td><td>0.42</td><td>98.06%</td><td>−0.06</td><td>0.80×</td><td>0.50×</td></tr>',
        '<tr><td class="l">some-quantized-format</td><td>12.5</td><td>12,001</td><td>1,200,000</td><td>1.05</td><td>97.50%</td><td>−0.62</td><td>0.25×</td><td>1.25×</td></tr></table>',
      ].join(''),
    );
    expect(html).toContain(
      '<tr><td class="l">tfjs-layers</td><td>50.0</td><td>12,345</td><td>1,234,567</td><td>0.84</td><td>—</td><td class="l" colspan="3">reference</td></tr></table><p class="meta">Test accuracy not measured (--no-accuracy).</p>',
    );
    // The section sits between the top trials and the failures.
    expect(html.indexOf('<h2>Top trials</h2>')).toBeLessThan(html.indexOf('<h2>Exported models</h2>'));
    expect(html.indexOf('<h2>Exported models</h2>')).toBeLessThan(html.indexOf('<h2>Failures</h2>'));
  });

  it('says how a full-integer variant was calibrated and where its activation ranges are', () => {
    const int8 = {
      format: 'saved-model-int8',
      path: 'saved-model-int8',
      bytes: 12800,
      params: 12001,
      macs: 1200000,
      latencyMs: 0.45,
      accuracy: 0.9801,
      calibration: { observer: 'percentile', images: 512, file: 'saved-model-int8/quantization.json' },
    } as Variant;
    const html = exportsSection([{ ...NEWER, variants: [VARIANTS[1] as Variant, int8], at: NEWER_AT }]);
    expect(html).toContain(
      '<td class="l">saved-model-int8</td><td>12.5</td><td>12,001</td><td>1,200,000</td><td>0.45</td><td>98.01%</td><td>−0.05</td><td>0.31×</td><td>1.07×</td></tr></table>',
    );
    expect(html).toContain(
      '<p class="meta">saved-model-int8: calibrated on 512 training images with the percentile observer; activation ranges in <code>saved-model-int8/quantization.json</code>.</p>',
    );
  });

  it('has no section for an experiment without exports', async () => {
    expect((await loadReportData(storage, 'alpha')).exports).toEqual([]);
    const out = tempDir('nas-report-exports-');
    await writeReport(storage, 'alpha', out);
    const html = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    expect(html).not.toContain('Exported models');
    expect(html).not.toContain('<h3>');
  });

  it('lists the exports in `nas show --json`, newest first, times in ISO 8601', async () => {
    const run = await runCli(['show', 'beta', '--storage', storage, '--json']);
    expect(run.code).toBe(0);
    const show = JSON.parse(run.stdout) as ShowJson;
    expect(show.exports).toEqual([
      { ...NEWER, at: '2025-03-02T17:45:00.000Z' },
      { ...OLDER, at: '2025-03-01T09:05:30.000Z' },
    ]);
  });
});

describe('recording an export', () => {
  it('appends an export event that reads back as written', async () => {
    const file = await fixtureStorage();
    const s = await openSqliteStorage(file, { readonly: true });
    const alpha = await s.getExperiment('alpha');
    await s.close();
    if (alpha === undefined) throw new Error('no experiment alpha');
    await recordExport(file, alpha.id, NEWER);
    const r = await openSqliteStorage(file, { readonly: true });
    const [stored, ...rest] = await listExports(r, alpha.id);
    await r.close();
    expect(rest).toEqual([]);
    expect(stored).toEqual({ ...NEWER, at: expect.any(Number) });
  }, 60_000);

  it('fails clearly when the storage cannot be written, saying the files were exported', async () => {
    const file = path.join(tempDir('nas-export-event-'), 'not-a-database.sqlite');
    fs.writeFileSync(file, 'this is a text file, not SQLite\n'.repeat(10));
    const failure = recordExport(file, 1, NEWER);
    await expect(failure).rejects.toBeInstanceOf(StorageError);
    await expect(failure).rejects.toThrow(
      /exported trial 2 to \/exports\/beta-all, but could not record the export in .*not-a-database\.sqlite: /,
    );
    await expect(failure).rejects.toMatchObject({
      code: 'EXPORT_NOT_RECORDED',
      hint: expect.stringMatching(/nas report/),
    });
  });
});
