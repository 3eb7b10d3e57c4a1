// Which training states are spent (no promotion can continue them) and deleted, and the temporary
// files of a state write a kill cut short, removed once at the start.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Trial, TrialState } from '../../src/core/trial.js';
import { trialStateFile } from '../../src/run/model-store.js';
import { spentStates, StateRetention } from '../../src/run/state-retention.js';
import { tempDir } from '../cli/helpers.js';

const trial = (number: number, state: TrialState, continues?: number): Trial => ({
  id: number + 100,
  number,
  sample: {},
  key: `k${number}`,
  state,
  startedAt: 0,
  ...(continues === undefined ? {} : { continues }),
});

describe('training states kept for promotions', () => {
  it('spends the states of trials that did not complete and of those whose promotion completed', () => {
    const trials = [
      trial(0, 'COMPLETE'), // promoted by 4, which completed: spent
      trial(1, 'COMPLETE'), // promoted by 5, still running: kept
      trial(2, 'PRUNED'),
      trial(3, 'COMPLETE'), // not promoted (yet): kept
      trial(4, 'COMPLETE', 0),
      trial(5, 'RUNNING', 1),
      { ...trial(6, 'FAILED', 3), reason: 'crashed' as const }, // 3 may be promoted again by a re-run: kept
      trial(7, 'RUNNING'),
    ];
    expect(spentStates(trials)).toEqual([0, 2, 6]);
  });

  it('deletes spent state files once, and the temporary files of killed writes at the start only', async () => {
    const dir = tempDir('nas-states-');
    const place = { name: 'exp', storage: path.join(dir, 'nas.sqlite') };
    const file = (n: number) => trialStateFile(place, n);
    mkdirSync(path.dirname(file(0)), { recursive: true });
    for (const n of [0, 1]) writeFileSync(file(n), 'state');
    writeFileSync(`${file(2)}.4242.tmp`, 'half');
    const retention = new StateRetention(place);
    await retention.prune([trial(0, 'PRUNED'), trial(1, 'COMPLETE'), trial(2, 'RUNNING')]);
    expect([0, 1].map((n) => existsSync(file(n)))).toEqual([false, true]);
    expect(existsSync(`${file(2)}.4242.tmp`)).toBe(false);
    writeFileSync(`${file(2)}.4343.tmp`, 'a write in progress'); // a worker of this run writing
    await retention.prune([trial(0, 'PRUNED'), trial(1, 'COMPLETE'), trial(2, 'RUNNING')]);
    expect(existsSync(`${file(2)}.4343.tmp`)).toBe(true);
  });
});
