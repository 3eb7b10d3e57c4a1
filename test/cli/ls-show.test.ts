import { beforeAll, describe, expect, it } from 'vitest';
import type { LsJson } from '../../src/cli/format/ls.js';
import type { ShowJson } from '../../src/cli/format/show.js';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import type { Trial } from '../../src/core/trial.js';
import { paretoFront } from '../../src/search/pareto.js';
import { FALLBACK, fixtureStorage } from './fixture-storage.js';
import { runCli } from './helpers.js';

let storage = '';
let alphaTrials: readonly Trial[] = [];

const accuracy = (t: Trial) => t.outcome?.metrics.validationAccuracy ?? Number.NaN;

beforeAll(async () => {
  storage = await fixtureStorage();
  const s = await openSqliteStorage(storage, { readonly: true });
  const alpha = await s.getExperiment('alpha');
  alphaTrials = await s.listTrials(alpha?.id ?? -1);
  await s.close();
}, 60_000);

describe('nas ls', () => {
  it('lists experiments with status, progress and best result (--json, the documented shape)', async () => {
    const run = await runCli(['ls', '--storage', storage, '--json']);
    expect(run.code).toBe(0);
    const ls = JSON.parse(run.stdout) as LsJson;
    const best = alphaTrials
      .filter((t) => t.state === 'COMPLETE')
      .sort((a, b) => accuracy(b) - accuracy(a))[0] as Trial;
    expect(ls.storage).toBe(storage);
    expect(ls.experiments.map((e) => [e.name, e.status, e.progress, e.trials.COMPLETE, e.trials.FAILED])).toEqual([
      ['alpha', 'finished', { done: 8, total: 8 }, 7, 1],
      ['beta', 'finished', { done: 3, total: 3 }, 3, 0],
    ]);
    expect(ls.experiments[0]?.best).toEqual({
      trial: best.number,
      metric: 'validationAccuracy',
      direction: 'max',
      value: accuracy(best),
    });
    expect(ls.experiments[0]).toMatchObject({
      space: 'nb201',
      strategy: 'random',
      dataset: 'synthetic',
      seed: 7,
      budget: { trials: 8 },
    });
    expect(ls.experiments[0]?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('prints a table', async () => {
    const run = await runCli(['ls', '--storage', storage]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^experiments in \S+ \(\d+\.\d KiB\)$/);
    expect(lines[0]?.startsWith(`experiments in ${storage} (`)).toBe(true);
    expect(lines[1]).toMatch(
      /^ {2}experiment +status +trials +failed +best +space +strategy +data +disk +updated \(UTC\)$/,
    );
    expect(lines[2]).toMatch(
      /^ {2}alpha +finished +8\/8 +1 +\d+\.\d\d% val acc \(#\d+\) +nb201 +random +synthetic +0 B +\d{4}-/,
    );
    expect(lines[3]).toMatch(/^ {2}beta +finished +3\/3 +0 +70\.00% val acc \(#2\) +nb201/);
  });
});

describe('nas show', () => {
  it('prints config, trials sorted by a metric, the Pareto front and failures (--json)', async () => {
    const run = await runCli(['show', 'alpha', '--storage', storage, '--json']);
    expect(run.code).toBe(0);
    const show = JSON.parse(run.stdout) as ShowJson;
    expect(show.config.name).toBe('alpha');
    expect(show.sort).toEqual({ by: 'metric', metric: 'validationAccuracy', direction: 'max', reverse: false });
    const complete = alphaTrials.filter((t) => t.state === 'COMPLETE').sort((a, b) => accuracy(b) - accuracy(a));
    expect(show.trials.map((t) => t.number)).toEqual([...complete.map((t) => t.number), 2]);
    expect(show.trials[0]).toMatchObject({
      state: 'COMPLETE',
      reason: null,
      metrics: { validationAccuracy: accuracy(complete[0] as Trial) },
      arch: expect.stringMatching(/^\|.*~0\|\+\|/),
    });
    expect(show.pareto?.trials).toEqual(paretoFront(alphaTrials, show.config.objectives).map((t) => t.number));
    expect(show.pareto?.trials.length).toBeGreaterThan(1);
    expect(show.failures).toEqual([
      {
        number: 2,
        reason: 'diverged',
        message: 'DivergedError: training diverged: the loss of step 3 (epoch 0) is NaN',
      },
    ]);
    expect(show.trials.find((t) => t.number === 5)?.engine).toEqual({ name: 'eager', fallback: FALLBACK });
    expect(show.trials.find((t) => t.number === 0)?.engine).toEqual({ name: 'compiled' });
    expect(show.trials.find((t) => t.number === 2)?.engine).toBeNull();
  });

  it('sorts by any metric, smallest first for costs, or by trial number', async () => {
    const byMacs = JSON.parse(
      (await runCli(['show', 'alpha', '--storage', storage, '--json', '--sort', 'macs'])).stdout,
    ) as ShowJson;
    const macs = byMacs.trials.flatMap((t) => (t.cost === null ? [] : [t.cost.macs as number]));
    expect(macs).toEqual([...macs].sort((a, b) => a - b));
    const byNumber = JSON.parse(
      (await runCli(['show', 'alpha', '--storage', storage, '--json', '--sort', 'number', '--reverse'])).stdout,
    ) as ShowJson;
    expect(byNumber.trials.map((t) => t.number)).toEqual([7, 6, 5, 4, 3, 2, 1, 0]);
  });

  it('prints the same as text', async () => {
    const run = await runCli(['show', 'alpha', '--storage', storage, '--sort', 'validationAccuracy']);
    expect(run.code).toBe(0);
    const text = run.stdout;
    expect(text).toContain(`experiment alpha (finished) in ${storage}`);
    // The stored space options have their defaults filled in (src/run/stored-config.ts).
    expect(text).toMatch(
      /\n {2}space nb201 \{"cells":5,"channels":16\}\n {2}strategy random\n {2}data synthetic \(subset all, validation 20%\)\n {2}train 1 epoch, batch 32, sgd, cosine\n/,
    );
    expect(text).toContain('  objectives max validationAccuracy, min macs\n');
    expect(text).toContain('trials (by validationAccuracy, largest first)\n');
    expect(text).toMatch(/\n {2}# +state +val acc +MACs +params +time +architecture\n/);
    expect(text).toMatch(/\n {2}2 +FAILED diverged +— +— +— +\d+\.\d s +\|/);
    expect(text).toMatch(/\nPareto front \(max validationAccuracy, min macs\): \d+ trials\n/);
    expect(text).toContain(
      '\nfailures (1)\n  #2 diverged: DivergedError: training diverged: the loss of step 3 (epoch 0) is NaN\n',
    );
    expect(text).toContain(`\ntrained on the eager engine instead of the compiled one (1)\n  #5: ${FALLBACK}\n`);
  });

  it('names the known experiments when asked for an unknown one (exit 1)', async () => {
    const run = await runCli(['show', 'gamma', '--storage', storage]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `nas: no experiment "gamma" in ${storage}\n  what to do: experiments there: alpha, beta (\`nas ls\`); another file: --storage FILE\n`,
    );
  });
});
