import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeNb201Table } from '../run/table-fixture.js';
import { runCli, tempDir, writeConfig, type CliRun } from './helpers.js';
import { parseJsonDocument, parseJsonLines } from './json-output.js';
import { tinyFile } from './tiny-arch.js';

// Every command with a machine-readable mode, run as a script runs it: the real CLI in a child
// process, stdout a pipe. stdout is data (docs/cli.md): `--json` prints one JSON document and the
// json reporter one JSON object per line, nothing else; messages (TensorFlow's native start-up
// lines, progress) may only go to stderr. The first run of a fresh checkout, which builds the native
// backend first, is test/cli/first-run-stdout.slow.test.ts.

/** The commands with `--json` or `--reporter json`, each exercised below. */
const JSON_COMMANDS = ['baseline', 'bench', 'estimate', 'list', 'ls', 'resume', 'review', 'search', 'show'];

const dir = tempDir('nas-json-');
const table = writeNb201Table((s) => [s.node3.filter((op) => op === 'nor_conv_3x3').length], ['acc']);
const storage = path.join(dir, 'nas.sqlite');
writeConfig(
  dir,
  'nb.ts',
  `{ name: 'nb', dataset: { name: 'synthetic' }, space: { name: 'nb201' }, strategy: { name: 'random' },
     benchmark: { table: ${JSON.stringify(table)}, metric: 'acc' }, objectives: [{ metric: 'acc', direction: 'max' }],
     budget: { trials: 6 }, workers: 2, storage: 'nas.sqlite' }`,
);
// 119 parameters, 384 MACs
const tiny = tinyFile();

async function succeeds(args: readonly string[]): Promise<CliRun> {
  const run = await runCli(args, dir);
  expect(run.code, `nas ${args.join(' ')}\n${run.stderr}`).toBe(0);
  return run;
}

const types = (events: Record<string, unknown>[]) => events.map((e) => e.type);

describe('machine-readable stdout holds only JSON', () => {
  it('covers every command that has --json or --reporter', async () => {
    const commands = [...(await succeeds(['--help'])).stdout.matchAll(/^ {2}(\w+) /gm)]
      .map((m) => m[1] as string)
      .filter((c) => c !== 'help');
    expect(commands).toHaveLength(12);
    const helps = await Promise.all(commands.map((c) => succeeds([c, '--help'])));
    expect(commands.filter((_, i) => /^ +(--json|--reporter <kind>) /m.test(helps[i]?.stdout ?? '')).sort()).toEqual(
      JSON_COMMANDS,
    );
  });

  it('nas search: JSON lines with --reporter json, and by default when stdout is not a terminal', async () => {
    for (const args of [
      ['--reporter', 'json'],
      ['--name', 'nb-default'],
    ]) {
      const events = parseJsonLines((await succeeds(['search', 'nb.ts', ...args])).stdout);
      expect(events.filter((e) => e.type === 'trial-finished')).toHaveLength(6);
      expect([events[0]?.type, events.at(-1)?.type]).toEqual(['experiment-started', 'experiment-finished']);
    }
  });

  it('nas resume --reporter json', async () => {
    const events = parseJsonLines(
      (await succeeds(['resume', 'nb', '--storage', storage, '--reporter', 'json'])).stdout,
    );
    expect(types(events)).toEqual(['experiment-started', 'experiment-finished']);
    expect(events[0]).toMatchObject({ experiment: 'nb', resumed: true });
  });

  it('nas ls --json and nas show --json', async () => {
    const ls = parseJsonDocument((await succeeds(['ls', '--storage', storage, '--json'])).stdout) as {
      experiments: { name: string }[];
    };
    expect(ls.experiments.map((e) => e.name)).toEqual(['nb', 'nb-default']);
    const show = parseJsonDocument((await succeeds(['show', 'nb', '--storage', storage, '--json'])).stdout) as {
      trials: unknown[];
    };
    expect(show.trials).toHaveLength(6);
  });

  it('nas review --json', async () => {
    const review = parseJsonDocument((await succeeds(['review', 'nb', '--storage', storage, '--json'])).stdout) as {
      experiment: string;
    };
    expect(review.experiment).toBe('nb');
  });

  it('nas list <what> --json, for every registry', async () => {
    for (const what of ['spaces', 'strategies', 'datasets', 'ops']) {
      const entries = parseJsonDocument((await succeeds(['list', what, '--json'])).stdout) as { name: string }[];
      expect(
        entries.map((e) => e.name),
        what,
      ).toContain({ spaces: 'nb201', strategies: 'random', datasets: 'synthetic', ops: 'conv' }[what]);
    }
  });

  it('nas estimate --json, also with --measure (TensorFlow loaded in the main thread, its start-up lines on stderr)', async () => {
    const priced = parseJsonDocument((await succeeds(['estimate', tiny, '--batch', '2', '--json'])).stdout) as {
      params: { trainable: number };
      macs: number;
    };
    expect([priced.params.trainable, priced.macs]).toEqual([119, 384]);
    const measured = parseJsonDocument(
      (await succeeds(['estimate', tiny, '--batch', '2', '--measure', '--json'])).stdout,
    ) as { latency: Record<string, number> };
    for (const key of ['measured_ms', 'measured_batch_ms', 'compiled_ms', 'compiled_batch_ms', 'measured_peak_flops'])
      expect(measured.latency[key], key).toBeGreaterThan(0);
  });

  it('nas bench --json', async () => {
    const args = [
      'bench',
      '--space',
      'nb201',
      '--table',
      table,
      '--metric',
      'acc',
      '--strategy',
      'random',
      '--runs',
      '3',
      '--evals',
      '5,10',
      '--json',
    ];
    const bench = parseJsonDocument((await succeeds(args)).stdout) as {
      runs: number;
      results: Record<string, unknown>;
    };
    expect([bench.runs, Object.keys(bench.results)]).toEqual([3, ['5', '10']]);
  });

  it('nas baseline --json (trains on the native backend)', async () => {
    const args = ['baseline', '--dataset', 'synthetic', '--limit', '64', '--epochs', '1', '--batch', '32', '--json'];
    const result = parseJsonDocument((await succeeds(args)).stdout);
    expect(result).toMatchObject({
      dataset: 'synthetic',
      trainImages: 64,
      epochs: 1,
      batchSize: 32,
      backend: 'tensorflow',
    });
  });
});
