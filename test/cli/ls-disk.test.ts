import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LsJson } from '../../src/cli/format/ls.js';
import { experimentDisk, storageBytes } from '../../src/cli/commands/ls/disk-usage.js';
import { fixtureStorage } from './fixture-storage.js';
import { runCli } from './helpers.js';

let storage = '';

/** Writes `bytes` bytes at `file` (relative to the storage file's folder). */
function put(file: string, bytes: number): void {
  const full = path.join(path.dirname(storage), file);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, Buffer.alloc(bytes, 1));
}

/** The bytes of the SQLite file with its -wal and -shm files, measured here. */
function sqliteBytes(): number {
  return ['', '-wal', '-shm'].reduce(
    (sum, suffix) => sum + (fs.existsSync(storage + suffix) ? fs.statSync(storage + suffix).size : 0),
    0,
  );
}

beforeAll(async () => {
  storage = await fixtureStorage();
  // "alpha": two saved models (one with a weights shard folder), a DARTS checkpoint, a training state, and a file of the user's that is none.
  put('alpha/trial-0/model.json', 1000);
  put('alpha/trial-0/weights.bin', 3000);
  put('alpha/trial-3/model.json', 500);
  put('alpha/trial-3/qat/ranges.json', 24);
  put('alpha/oneshot/epoch-2.ckpt', 2048);
  put('alpha/states/trial-1.ckpt', 100); // a training state kept for a promotion
  put('alpha/notes.txt', 999);
}, 60_000);

describe('disk use of experiments', () => {
  it('sums the files of the saved models and of the checkpoints; an experiment without a folder takes 0', async () => {
    expect(await experimentDisk({ storage, name: 'alpha' })).toEqual({ models: 4524, checkpoints: 2148 });
    expect(await experimentDisk({ storage, name: 'beta' })).toEqual({ models: 0, checkpoints: 0 });
    expect(await storageBytes(storage)).toBe(sqliteBytes());
  });

  it("`nas ls --json` has each experiment's disk use and the storage file's bytes once", async () => {
    const run = await runCli(['ls', '--storage', storage, '--json']);
    expect(run.code).toBe(0);
    const ls = JSON.parse(run.stdout) as LsJson;
    expect(ls.storageBytes).toBe(sqliteBytes());
    expect(ls.experiments.map((e) => [e.name, e.disk])).toEqual([
      ['alpha', { models: 4524, checkpoints: 2148 }],
      ['beta', { models: 0, checkpoints: 0 }],
    ]);
  });

  it("`nas ls` shows it in a column, and the storage file's size in the heading", async () => {
    const run = await runCli(['ls', '--storage', storage]);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`experiments in ${storage} (${(sqliteBytes() / 1024).toFixed(1)} KiB)`);
    expect(lines[2]).toMatch(/ synthetic +6\.5 KiB +\d{4}-/);
    expect(lines[3]).toMatch(/ synthetic +0 B +\d{4}-/);
  });
});
