import { beforeAll, describe, expect, it } from 'vitest';
import { curvesChart, curveValues } from '../../src/cli/report/charts.js';
import { loadReportData, type ReportData } from '../../src/cli/report/report-data.js';
import { chartSvg } from '../../src/cli/report/render.js';
import type { ExperimentConfig } from '../../src/run/config.js';
import { startSearch } from '../../src/run/search.js';
import { prunedAtOf } from '../../src/run/trial-pruner.js';
import { curveEvaluator, EPOCHS } from '../run/curve-evaluator.js';
import { testConfig } from '../run/helpers.js';

const config: ExperimentConfig = testConfig({
  name: 'report-pruned',
  strategy: { name: 'random', options: {} },
  pruner: { name: 'median', options: { nStartupTrials: 2, nWarmupSteps: 0, intervalSteps: 1 } },
  train: { epochs: EPOCHS, batchSize: 32 },
  budget: { trials: 8 },
  workers: 1,
});
let data: ReportData;

beforeAll(async () => {
  await startSearch(config, { emit: () => undefined, evaluator: curveEvaluator() });
  data = await loadReportData(config.storage, config.name);
}, 60_000);

describe('the report with PRUNED trials', () => {
  it('gives the curves chart every pruned trial, up to the epoch it was stopped at', () => {
    const pruned = data.trials.filter((t) => t.state === 'PRUNED');
    expect(pruned.length).toBeGreaterThan(0);
    expect(data.curves.filter((c) => c.pruned).map((c) => [c.number, c.epochs.map((e) => e.epoch)])).toEqual(
      pruned.map((t) => [t.number, Array.from({ length: prunedAtOf(t)?.step ?? 0 }, (_, i) => i + 1)]),
    );
    const top = data.curves.filter((c) => !c.pruned);
    expect(top.map((c) => c.number)).toEqual(data.ranked.slice(0, 5).map((t) => t.number));
    expect(top.every((c) => c.epochs.length === EPOCHS)).toBe(true);
  });

  it("marks a pruned trial's rows pruned and its last one stopped, and no other row", () => {
    const rows = curveValues(data.curves);
    for (const c of data.curves) {
      const mine = rows.filter((r) => r.trial === `trial ${c.number}`);
      expect(mine.map((r) => r.pruned)).toEqual(c.epochs.map(() => c.pruned));
      expect(mine.map((r) => r.stopped)).toEqual(c.epochs.map((_, i) => c.pruned && i === c.epochs.length - 1));
    }
  });

  it('draws pruned curves grey, with a cross where they stopped, beneath the coloured top trials', async () => {
    const svg = await chartSvg(curvesChart(data.curves));
    expect(svg).toContain('stroke="#b3b3b3"');
    expect(svg).toContain('grey: pruned trials, up to the epoch they were stopped at');
    const unpruned = await chartSvg(curvesChart(data.curves.filter((c) => !c.pruned)));
    expect(unpruned).not.toContain('#b3b3b3');
    expect(unpruned).not.toContain('grey: pruned trials');
  });
});
