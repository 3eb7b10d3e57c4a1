import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import { createSpace } from '../../src/space/spaces/index.js';
import { resumeSearch } from '../../src/run/search.js';
import { completed, fakeAccuracy, lookupEvaluator, tempDb } from './helpers.js';

const space = createSpace('nb201');

async function trials(db: string) {
  const storage = await openSqliteStorage(db);
  try {
    const experiment = await storage.getExperiment('exp');
    return experiment === undefined ? [] : await storage.listTrials(experiment.id);
  } finally {
    await storage.close();
  }
}

describe('a search killed with SIGKILL', () => {
  it('resumes with no finished trial lost or repeated, and the interrupted ones run again once', async () => {
    const db = tempDb();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', new URL('./fixtures/search-child.ts', import.meta.url).pathname, db, '20'],
      { stdio: 'ignore' },
    );
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // Kill once 5 trials are done while another runs (the two workers' trials end at different times).
    for (let i = 0; i < 300; i++) {
      const now = await trials(db);
      if (now.filter((t) => t.state === 'COMPLETE').length >= 5 && now.some((t) => t.state === 'RUNNING')) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await exited;
    const killed = await trials(db);
    const finishedBefore = killed.filter((t) => t.state === 'COMPLETE');
    const running = killed.filter((t) => t.state === 'RUNNING');
    expect(finishedBefore.length).toBeGreaterThanOrEqual(5);
    expect(finishedBefore.length).toBeLessThan(20);
    expect(running.length).toBeGreaterThan(0);

    const evaluator = lookupEvaluator(2, (task) => completed(fakeAccuracy(space.key(task.sample as never))));
    expect(await resumeSearch(db, 'exp', { emit: () => undefined, evaluator })).toBe('finished');
    const after = await trials(db);
    const complete = after.filter((t) => t.state === 'COMPLETE');
    expect(complete).toHaveLength(20);
    expect(new Set(complete.map((t) => t.key)).size).toBe(20);
    for (const t of finishedBefore) expect(after.find((a) => a.id === t.id)).toEqual(t);
    for (const t of running) {
      expect(after.find((a) => a.id === t.id)).toMatchObject({ state: 'FAILED', reason: 'interrupted' });
      expect(complete.filter((c) => c.key === t.key)).toHaveLength(1);
      expect(complete.find((c) => c.key === t.key)?.retryOf).toBe(t.number);
    }
  });
});
