import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Trial } from '../../src/core/trial.js';
import { architectureDot } from '../../src/cli/report/cell-graph.js';
import { bestSoFar, trialPoints } from '../../src/cli/report/report-data.js';
import { writeReport } from '../../src/cli/report/write-report.js';
import { fixtureStorage } from './fixture-storage.js';
import { runCli, tempDir } from './helpers.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const CHARTS = ['progress.png', 'pareto-macs.png', 'pareto-params.png', 'curves.png'];

let storage: string;
beforeAll(async () => {
  storage = await fixtureStorage();
});

function trial(number: number, accuracy: number, macs: number): Trial {
  const cost = {
    params: macs,
    paramsTotal: macs,
    macs,
    trainMemoryBytes: 1,
    inferenceMemoryBytes: 1,
    estimatedLatencyMs: 1,
  };
  return {
    id: number,
    number,
    sample: {},
    key: '',
    state: 'COMPLETE',
    startedAt: 0,
    outcome: { metrics: { validationAccuracy: accuracy }, cost, epochs: [], seconds: 1 },
  };
}

describe('report data', () => {
  it('marks the non-dominated trials (max accuracy, min cost) and the best accuracy so far', () => {
    const points = trialPoints([
      trial(0, 0.5, 10),
      trial(1, 0.7, 20),
      trial(2, 0.6, 30),
      trial(3, 0.7, 20),
      trial(4, 0.9, 50),
    ]);
    expect(points.filter((p) => p.paretoMacs).map((p) => p.number)).toEqual([0, 1, 3, 4]);
    expect(bestSoFar(points).map((p) => p.best)).toEqual([0.5, 0.7, 0.7, 0.7, 0.9]);
  });

  it('draws an NB201 cell with one labelled edge per op', () => {
    const dot = architectureDot(
      'nb201',
      {
        node1: ['nor_conv_3x3'],
        node2: ['none', 'skip_connect'],
        node3: ['avg_pool_3x3', 'nor_conv_1x1', 'skip_connect'],
      },
      undefined,
      'cell',
    );
    expect(dot.match(/->/g)).toHaveLength(6);
    expect(dot).toContain('label=" nor_conv_1x1 "');
  });
});

describe('nas report', () => {
  it('writes a self-contained index.html with an SVG per chart and drawing, and valid PNGs beside it', async () => {
    const out = tempDir('nas-report-');
    const result = await writeReport(storage, 'alpha', out);
    const html = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    expect(result.pngs).toEqual(expect.arrayContaining(CHARTS));
    expect(result.pngs.filter((f) => f.startsWith('arch-trial-'))).toHaveLength(3);
    expect(html.match(/<svg/g)).toHaveLength(result.pngs.length);
    expect(html).not.toMatch(/<script|src="http/);
    expect(html).toMatch(/<td>2<\/td><td class="l">FAILED<\/td><td class="l">diverged<\/td>/);
    for (const file of result.pngs) {
      const bytes = fs.readFileSync(path.join(out, file));
      expect([...bytes.subarray(0, 8)], file).toEqual(PNG_SIGNATURE);
      expect(bytes.readUInt32BE(16), `${file} width`).toBeGreaterThan(300);
    }
  });

  it('runs from the command line, and exits 1 naming the known experiments on an unknown one', async () => {
    const out = tempDir('nas-report-cli-');
    const ok = await runCli(['report', 'beta', '--out', out, '--storage', storage]);
    expect(ok.code).toBe(0);
    expect(fs.existsSync(path.join(out, 'index.html'))).toBe(true);
    const bad = await runCli(['report', 'gamma', '--out', out, '--storage', storage]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/no experiment "gamma"[\s\S]*alpha, beta/);
  });
});
