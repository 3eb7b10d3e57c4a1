import { beforeAll, describe, expect, it } from 'vitest';
import type { ShowJson } from '../../src/cli/format/show.js';
import type { Evaluator } from '../../src/run/evaluator.js';
import { lostNote } from '../../src/run/queue/lost-attempts.js';
import { workerNote } from '../../src/run/queue/worker-note.js';
import { startSearch } from '../../src/run/search.js';
import { completed, testConfig } from '../run/helpers.js';
import { runCli } from './helpers.js';

const config = testConfig({ name: 'lost', budget: { trials: 3 }, workers: 1 });

// What the queue dispatcher relays for trial 1: its first worker announced itself, then its job
// stalled twice (the second time with no worker note in between), then it completed.
const relayed = [
  workerNote('node-a:41'),
  lostNote('node-a:41', 1_700_000_000_000),
  lostNote(undefined, 1_700_000_060_000),
];
const evaluator: Evaluator = {
  concurrency: 1,
  run: async (task, options) => {
    if (task.number === 1) for (const p of relayed) options?.onProgress?.(p);
    return completed(task.number / 10);
  },
  close: async () => undefined,
};

beforeAll(async () => {
  expect(await startSearch(config, { emit: () => undefined, evaluator })).toBe('finished');
}, 60_000);

describe('nas show with lost attempts (a `nas worker` lost mid-trial)', () => {
  it('--json lists them under their trial; the trial itself is recorded once', async () => {
    const run = await runCli(['show', config.name, '--storage', config.storage, '--json', '--sort', 'number']);
    expect(run.code, run.stderr).toBe(0);
    const show = JSON.parse(run.stdout) as ShowJson;
    expect(show.trials.map((t) => [t.number, t.state, t.lostAttempts])).toEqual([
      [0, 'COMPLETE', []],
      [
        1,
        'COMPLETE',
        [
          { worker: 'node-a:41', at: '2023-11-14T22:13:20.000Z' },
          { worker: null, at: '2023-11-14T22:14:20.000Z' },
        ],
      ],
      [2, 'COMPLETE', []],
    ]);
  });

  it('prints a lost-attempts section', async () => {
    const run = await runCli(['show', config.name, '--storage', config.storage]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    const section = lines.indexOf('lost attempts (2): the worker was lost mid-trial, the trial ran again');
    expect(section).toBeGreaterThan(0);
    expect(lines.slice(section + 1, section + 3)).toEqual([
      '  #1 worker-lost: node-a:41 at 2023-11-14T22:13:20.000Z',
      '  #1 worker-lost: an unknown worker at 2023-11-14T22:14:20.000Z',
    ]);
  });
});
