import { beforeAll, describe, expect, it } from 'vitest';
import type { ShowJson } from '../../src/cli/format/show.js';
import { plainReporter } from '../../src/cli/ui/reporters/plain.js';
import type { Trial } from '../../src/core/trial.js';
import type { ExperimentConfig } from '../../src/run/config.js';
import { startSearch } from '../../src/run/search.js';
import { curveEvaluator } from '../run/curve-evaluator.js';
import { storedTrials, testConfig } from '../run/helpers.js';
import { Collect, HEADER } from './ui/fixtures.js';
import { runCli } from './helpers.js';

const config: ExperimentConfig = testConfig({
  name: 'pruned',
  strategy: { name: 'random', options: {} },
  pruner: { name: 'median', options: { nStartupTrials: 2, nWarmupSteps: 0, intervalSteps: 1 } },
  budget: { trials: 8 },
  workers: 1,
});
let pruned: Trial[] = [];

beforeAll(async () => {
  await startSearch(config, { emit: () => undefined, evaluator: curveEvaluator() });
  pruned = (await storedTrials(config)).filter((t) => t.state === 'PRUNED');
  expect(pruned.length).toBeGreaterThan(0);
}, 60_000);

const epochOf = (t: Trial) => Number(/^pruned at epoch (\d+)/.exec(t.message ?? '')?.[1]);
const valueOf = (t: Trial) => Number(/^pruned at epoch \d+: validationAccuracy (\S+) /.exec(t.message ?? '')?.[1]);

describe('nas show with PRUNED trials', () => {
  it('--json gives each pruned trial the epoch it stopped at and its value there', async () => {
    const run = await runCli(['show', config.name, '--storage', config.storage, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const show = JSON.parse(run.stdout) as ShowJson;
    expect(show.config.pruner).toEqual(config.pruner);
    const shown = show.trials.filter((t) => t.state === 'PRUNED');
    expect(shown.map((t) => [t.number, t.pruned])).toEqual(
      pruned.map((t) => [
        t.number,
        { epoch: epochOf(t), step: null, metric: 'validationAccuracy', value: valueOf(t), rung: null },
      ]),
    );
    expect(show.trials.filter((t) => t.state !== 'PRUNED').every((t) => t.pruned === null)).toBe(true);
    expect(show.failures).toEqual([]);
  });

  it('prints the pruner, PRUNED @epoch in the table and a pruned section with why', async () => {
    const run = await runCli(['show', config.name, '--storage', config.storage]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines).toContain('  pruner median {"nStartupTrials":2,"nWarmupSteps":0,"intervalSteps":1}');
    const first = pruned[0] as Trial;
    expect(lines.some((l) => new RegExp(`^\\s+${first.number}\\s+PRUNED @${epochOf(first)}\\s`).test(l))).toBe(true);
    const section = lines.indexOf(`pruned (${pruned.length})`);
    expect(section).toBeGreaterThan(0);
    expect(lines[section + 1]).toBe(`  #${first.number}: ${first.message}`);
  });

  it('the plain reporter prints a pruned line with the epoch and why', async () => {
    const out = new Collect();
    const reporter = plainReporter(out, { header: HEADER, describe: (s) => JSON.stringify(s) });
    const first = pruned[0] as Trial;
    reporter.emit({ type: 'trial-finished', t: first.finishedAt ?? 0, trial: first });
    await reporter.close();
    expect(out.text()).toMatch(
      new RegExp(
        `#${first.number}  PRUNED  in \\S+  pruned at epoch ${epochOf(first)} val acc ${(100 * valueOf(first)).toFixed(2)}%`,
      ),
    );
  });
});

describe('nas show and the dashboard with a rung pruner (successive halving)', () => {
  const rungs: ExperimentConfig = testConfig({
    name: 'pruned-rungs',
    strategy: { name: 'random', options: {} },
    pruner: { name: 'successive-halving', options: { minResource: 1, reductionFactor: 2, minEarlyStoppingRate: 0 } },
    train: { epochs: 4, batchSize: 32 },
    budget: { trials: 8 },
    workers: 1,
  });
  let stopped: Trial[] = [];
  const rungOf = (t: Trial) => Number(/^pruned at epoch \d+ \(rung (\d+)\):/.exec(t.message ?? '')?.[1]);

  beforeAll(async () => {
    await startSearch(rungs, { emit: () => undefined, evaluator: curveEvaluator() });
    stopped = (await storedTrials(rungs)).filter((t) => t.state === 'PRUNED');
    expect(stopped.length).toBeGreaterThan(0);
  }, 60_000);

  it('gives the rung in --json and in the table (PRUNED @epoch r<rung>)', async () => {
    const json = await runCli(['show', rungs.name, '--storage', rungs.storage, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const show = JSON.parse(json.stdout) as ShowJson;
    expect(
      show.trials.filter((t) => t.state === 'PRUNED').map((t) => [t.number, t.pruned?.epoch, t.pruned?.rung]),
    ).toEqual(stopped.map((t) => [t.number, epochOf(t), rungOf(t)]));
    const text = await runCli(['show', rungs.name, '--storage', rungs.storage]);
    const first = stopped[0] as Trial;
    expect(
      text.stdout
        .split('\n')
        .some((l) => new RegExp(`^\\s+${first.number}\\s+PRUNED @${epochOf(first)} r${rungOf(first)}\\s`).test(l)),
    ).toBe(true);
  });

  it("the dashboard's finished line names the epoch and the rung", async () => {
    const out = new Collect();
    const reporter = plainReporter(out, { header: HEADER, describe: (s) => JSON.stringify(s) });
    const first = stopped[0] as Trial;
    reporter.emit({ type: 'trial-finished', t: first.finishedAt ?? 0, trial: first });
    await reporter.close();
    expect(out.text()).toMatch(
      new RegExp(
        `#${first.number}  PRUNED  in \\S+  pruned at epoch ${epochOf(first)} \\(rung ${rungOf(first)}\\) val acc `,
      ),
    );
  });
});
