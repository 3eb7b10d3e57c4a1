import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from 'sqlite3';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import type { Trial } from '../../src/core/trial.js';
import { countsAgainstBudget } from '../../src/run/driver.js';
import type { LsJson } from '../../src/cli/format/ls.js';
import type { ShowJson } from '../../src/cli/format/show.js';
import { runCli, writeConfig } from '../cli/helpers.js';
import { smoothAccuracy, writeNb201Table } from './table-fixture.js';

// Disk full and read-only storage, on real small file systems: tmpfs mounts (the tests run as root,
// here and in CI). A search must stop resumably naming the file and the cause, keep every trial it
// recorded, and a resume with room must end with exactly its budget (docs/storage.md).

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nas-disk-'));
const mounted: string[] = [];

function mount(dir: string, size: string): void {
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  mounted.push(dir);
}

const remount = (dir: string, options: string) => execFileSync('mount', ['-o', `remount,${options}`, dir]);

/** Whether tmpfs can be mounted here, else why not (the tests are then skipped, saying so). */
function mountable(): true | string {
  const probe = path.join(root, 'probe');
  try {
    mount(probe, '64k');
    execFileSync('umount', [probe]);
    mounted.pop();
    return true;
  } catch (error) {
    return `mount -t tmpfs is not permitted here (${(error as Error).message.split('\n')[0]})`;
  }
}

afterEach(() => {
  for (const dir of mounted.splice(0).reverse()) execFileSync('umount', ['-l', dir]);
});

/** Fills the file system of `dir` to the last byte. */
function fill(dir: string): void {
  try {
    execFileSync('dd', ['if=/dev/zero', `of=${path.join(dir, 'filler')}`, 'bs=4k'], { stdio: 'ignore' });
  } catch {
    // dd stops with ENOSPC, as meant
  }
}

async function trialsOf(file: string, name: string): Promise<{ status: string; trials: readonly Trial[] }> {
  const storage = await openSqliteStorage(file, { readonly: true });
  try {
    const experiment = await storage.getExperiment(name);
    return {
      status: experiment?.status ?? 'none',
      trials: experiment === undefined ? [] : await storage.listTrials(experiment.id),
    };
  } finally {
    await storage.close();
  }
}

/** `PRAGMA integrity_check` on the file, through the sqlite3 addon directly. */
function integrity(file: string): Promise<string> {
  const sqlite3 = createRequire(import.meta.url)('sqlite3') as typeof import('sqlite3');
  return new Promise((resolve, reject) => {
    const db: Database = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (error) => {
      if (error) return reject(error);
      db.get<{ integrity_check: string }>('PRAGMA integrity_check', (e, row) =>
        db.close(() => (e ? reject(e) : resolve(row?.integrity_check ?? ''))),
      );
    });
  });
}

const table = writeNb201Table((s) => [smoothAccuracy(s)], ['acc']);

/** A table-benchmark search config (fast: no training) whose storage is `storage`. */
function tableConfig(dir: string, storage: string, trials: number): string {
  return writeConfig(
    dir,
    'nb.ts',
    `{ name: 'nb', dataset: { name: 'synthetic', options: { height: 32, width: 32, channels: 3 } }, space: { name: 'nb201' }, strategy: { name: 'random' },
       benchmark: { table: ${JSON.stringify(table)}, metric: 'acc' }, objectives: [{ metric: 'acc', direction: 'max' }], budget: { trials: ${trials} }, workers: 1,
       storage: ${JSON.stringify(storage)} }`,
  );
}

const status = mountable();

describe.skipIf(status !== true)(
  `disk full and read-only storage (tmpfs mounts${status === true ? '' : `; skipped: ${status}`})`,
  () => {
    it('a full disk under the SQLite file stops the search resumably; with room again, the resume ends with exactly the budget', async () => {
      const disk = path.join(root, 'full-sqlite');
      mount(disk, '512k');
      const file = path.join(disk, 'nas.sqlite');
      const config = tableConfig(path.join(root, 'config-full'), file, 40);

      const run = await runCli(['search', config], path.dirname(config));
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `StorageError: cannot write ${file}: disk full (SQLITE_FULL); the search stopped, and every trial recorded before is kept\n` +
          '  what to do: free space on that disk, then continue with `nas resume nb`\n',
      );
      const events = run.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string; trial?: Trial; why?: string });
      expect(events.filter((e) => e.type === 'stopping').map((e) => e.why)).toEqual([
        `cannot write ${file}: disk full (SQLITE_FULL)`,
        `cannot write ${file}: disk full (SQLITE_FULL)`,
      ]);
      expect(await integrity(file)).toBe('ok');
      const before = await trialsOf(file, 'nb');
      const complete = before.trials.filter((t) => t.state === 'COMPLETE');
      expect(complete.length).toBeGreaterThan(0);
      expect(complete.length).toBeLessThan(40);
      // Every trial the search reported finished is in the file, whole.
      const reported = events.flatMap((e) =>
        e.type === 'trial-finished' && e.trial?.state === 'COMPLETE' ? [e.trial] : [],
      );
      for (const t of reported)
        expect(before.trials.find((b) => b.id === t.id)?.outcome?.metrics).toEqual(t.outcome?.metrics);

      remount(disk, 'size=16m');
      const resumed = await runCli(['resume', 'nb', '--storage', file], path.dirname(config));
      expect([resumed.code, resumed.stderr]).toEqual([0, '']);
      const after = await trialsOf(file, 'nb');
      expect(after.status).toBe('finished');
      expect(after.trials.filter((t) => t.state === 'COMPLETE')).toHaveLength(40);
      expect(after.trials.filter(countsAgainstBudget)).toHaveLength(40);
      for (const t of complete) expect(after.trials.find((a) => a.id === t.id)).toEqual(t);
      expect(await integrity(file)).toBe('ok');
    });

    it('a trained model that cannot be saved for a full disk fails its trial disk-full and stops the search; the resume trains it again', async () => {
      const dir = path.join(root, 'full-models');
      const file = path.join(dir, 'nas.sqlite');
      const models = path.join(dir, 'tr');
      mount(models, '16k');
      fill(models);
      const config = writeConfig(
        dir,
        'tr.ts',
        `{ name: 'tr', dataset: { name: 'synthetic', options: { trainCount: 256, testCount: 64, height: 8, width: 8, channels: 1, classes: 4 } },
         space: { name: 'nb201', options: { cells: 1, channels: 4 } }, strategy: { name: 'random' }, train: { epochs: 1, batchSize: 32 },
         budget: { trials: 3 }, workers: 1, measureLatency: false, keepModels: { best: 1 }, storage: 'nas.sqlite' }`,
      );

      const run = await runCli(['search', config], dir);
      const refused = `cannot save the trial's model in ${path.join(models, 'trial-0')}: disk full (ENOSPC)`;
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `StorageError: ${refused}; the search stopped, and every trial recorded before is kept\n  what to do: free space on that disk, then continue with \`nas resume tr\`\n`,
      );
      const before = await trialsOf(file, 'tr');
      expect(before.status).toBe('stopped');
      expect(before.trials.map((t) => [t.number, t.state, t.reason, t.message])).toEqual([
        [0, 'FAILED', 'disk-full', `StorageError: ${refused}`],
      ]);
      expect(fs.readdirSync(models)).toEqual(['filler']); // the half-written model folder was removed

      fs.rmSync(path.join(models, 'filler'));
      remount(models, 'size=8m');
      const resumed = await runCli(['resume', 'tr', '--storage', file], dir);
      expect([resumed.code, resumed.stderr]).toEqual([0, '']);
      const after = await trialsOf(file, 'tr');
      const complete = after.trials.filter((t) => t.state === 'COMPLETE');
      expect(complete).toHaveLength(3);
      expect(after.trials.filter(countsAgainstBudget)).toHaveLength(3);
      expect(complete.find((t) => t.retryOf === 0)?.key).toBe(before.trials[0]?.key);
      // keepModels { best: 1 }: only the best trial's model stays, whole.
      const best = [...complete].sort(
        (a, b) =>
          (b.outcome?.metrics.validationAccuracy as number) - (a.outcome?.metrics.validationAccuracy as number) ||
          a.number - b.number,
      )[0] as Trial;
      expect(fs.readdirSync(models)).toEqual([`trial-${best.number}`]);
      expect(fs.readdirSync(path.join(models, `trial-${best.number}`)).sort()).toEqual(['model.json', 'weights.bin']);
    }, 180_000);

    it('a read-only disk: a search or resume is refused before anything runs; ls, show and report read the file where it is', async () => {
      const disk = path.join(root, 'read-only');
      mount(disk, '8m');
      const file = path.join(disk, 'nas.sqlite');
      const config = tableConfig(path.join(root, 'config-ro'), file, 10);
      expect((await runCli(['search', config], path.dirname(config))).code).toBe(0);
      expect(fs.readdirSync(disk)).toEqual(['nas.sqlite']); // closed cleanly: no -wal or -shm left
      const bytes = fs.readFileSync(file);
      remount(disk, 'ro');

      const refusal =
        `StorageError: cannot write ${file}: read-only (EROFS)\n` +
        '  what to do: a search writes the storage file (and its -wal and -shm files) and saves models beside it: keep it on a writable disk (copy it there and pass the copy with --storage), or make it writable; `nas ls`, `nas show` and `nas report` read it where it is\n';
      const search = await runCli(['search', config, '--name', 'nb-2'], path.dirname(config));
      expect([search.code, search.stdout, search.stderr]).toEqual([1, '', refusal]);
      const resume = await runCli(['resume', 'nb', '--storage', file], path.dirname(config));
      expect([resume.code, resume.stdout, resume.stderr]).toEqual([1, '', refusal]);

      // Without its -shm file, which a read-only folder cannot get, the file is read as immutable.
      const ls = await runCli(['ls', '--storage', file, '--json']);
      expect([ls.code, ls.stderr]).toEqual([0, '']);
      expect((JSON.parse(ls.stdout) as LsJson).experiments.map((e) => [e.name, e.status, e.progress])).toEqual([
        ['nb', 'finished', { done: 10, total: 10 }],
      ]);
      const show = await runCli(['show', 'nb', '--storage', file, '--json']);
      expect([show.code, (JSON.parse(show.stdout) as ShowJson).trials.length]).toEqual([0, 10]);
      const out = path.join(root, 'report');
      const report = await runCli(['report', 'nb', '--storage', file, '--out', out]);
      expect([report.code, report.stderr]).toEqual([0, '']);
      expect(fs.existsSync(path.join(out, 'index.html'))).toBe(true);
      expect(fs.readdirSync(disk)).toEqual(['nas.sqlite']);
      expect(fs.readFileSync(file).equals(bytes)).toBe(true);

      // With the -wal and -shm files a reader left behind, the ordinary read-only open works.
      remount(disk, 'rw');
      const reader = await openSqliteStorage(file, { readonly: true });
      await reader.listExperiments();
      await reader.close();
      expect(fs.readdirSync(disk).sort()).toEqual(['nas.sqlite', 'nas.sqlite-shm', 'nas.sqlite-wal']);
      remount(disk, 'ro');
      const again = await runCli(['ls', '--storage', file, '--json']);
      expect([again.code, (JSON.parse(again.stdout) as LsJson).experiments.length]).toEqual([0, 1]);
    }, 120_000);
  },
);
