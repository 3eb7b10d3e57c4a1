import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/core/events.js';
import type { ShowJson } from '../../src/cli/format/show.js';
import { NB201_SIZE, sampleAtBenchmarkIndex, toBenchmarkString } from '../../src/space/spaces/nb201/index.js';
import { fakeAccuracy } from '../run/helpers.js';
import { runCli, tempDir, writeConfig } from './helpers.js';

// `nas search` end to end through the real command, fast: a NAS-Bench-201 table answers the trials.
const dir = tempDir('nas-table-');

beforeAll(() => {
  const rows = Array.from({ length: NB201_SIZE }, (_, i) => {
    const arch = toBenchmarkString(sampleAtBenchmarkIndex(i));
    return `${i},${arch},${(80 + 15 * fakeAccuracy(arch)).toFixed(4)}`;
  });
  fs.writeFileSync(path.join(dir, 'table.csv'), ['index,arch,acc', ...rows].join('\n'));
  writeConfig(
    dir,
    'experiments/nb.ts',
    `{ name: 'nb', dataset: { name: 'synthetic', options: { height: 32, width: 32, channels: 3 } }, space: { name: 'nb201' },
       strategy: { name: 'tpe', options: { startupTrials: 5 } }, benchmark: { table: '../table.csv', metric: 'acc' },
       objectives: [{ metric: 'acc', direction: 'max' }, { metric: 'params', direction: 'min' }], budget: { trials: 20 }, workers: 2, storage: '../runs/nas.sqlite' }`,
  );
});

describe('nas search with a benchmark table', () => {
  it('runs to its budget, reporting JSON lines when stdout is not a terminal', async () => {
    const run = await runCli(['search', 'experiments/nb.ts'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as RunEvent);
    expect(events[0]).toMatchObject({
      type: 'experiment-started',
      experiment: 'nb',
      resumed: false,
      budget: { trials: 20 },
      workers: 2,
    });
    expect(events.filter((e) => e.type === 'trial-finished')).toHaveLength(20);
    expect(events.at(-1)).toMatchObject({ type: 'experiment-finished', status: 'finished', counts: { COMPLETE: 20 } });
    expect(fs.existsSync(path.join(dir, 'runs/nas.sqlite'))).toBe(true);
  });

  it('`nas show` (default storage: ./runs/nas.sqlite) has the table metric, cost figures and a Pareto front', async () => {
    const show = JSON.parse((await runCli(['show', 'nb', '--json'], dir)).stdout) as ShowJson;
    const values = show.trials.map((t) => t.metrics.acc as number);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    expect(show.experiment.best?.value).toBe(values[0]);
    expect(show.trials[0]?.cost?.params).toBeGreaterThan(0);
    expect(show.config.benchmark).toEqual({ table: path.join(dir, 'table.csv'), metric: 'acc' });
    expect(show.pareto?.trials.length).toBeGreaterThan(0);
  });

  it('refuses to start an experiment whose name is taken, and resumes a finished one at once', async () => {
    const again = await runCli(['search', 'experiments/nb.ts', '--reporter', 'plain'], dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      `StorageError: an experiment named "nb" already exists in ${path.join(dir, 'runs/nas.sqlite')}\n` +
        '  what to do: continue it with `nas resume nb`, or start a new one under another name with `--name <name>`\n',
    );
    const renamed = await runCli(
      ['search', 'experiments/nb.ts', '--name', 'nb-2', '--seed', '5', '--reporter', 'plain'],
      dir,
    );
    expect(renamed.code).toBe(0);
    expect(renamed.stdout).toMatch(/nb-2/);
    const resumed = await runCli(['resume', 'nb', '--reporter', 'json'], dir);
    expect(resumed.code).toBe(0);
    const events = resumed.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as RunEvent);
    expect(events.map((e) => e.type)).toEqual(['experiment-started', 'experiment-finished']);
    expect(events[0]).toMatchObject({ experiment: 'nb', resumed: true });
  });
});
