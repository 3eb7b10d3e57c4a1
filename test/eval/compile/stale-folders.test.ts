import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeSavedModel, writeSavedModel } from '../../../src/eval/compile/saved-model.js';

const tmpdir = process.env.TMPDIR;
afterEach(() => {
  if (tmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = tmpdir;
});

describe('the temporary SavedModel folders of compiled networks', () => {
  it('carry the process id; the first one a process writes deletes those of processes that are gone', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nas-stale-'));
    process.env.TMPDIR = dir;
    const gone = spawnSync(process.execPath, ['-e', '']).pid as number;
    const names = [
      `nas-compiled-${gone}-aB3xYz`,
      `nas-compiled-${process.pid}-live01`,
      'nas-compiled-Old9zz',
      'unrelated',
    ];
    for (const name of names) fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, names[0] as string, 'saved_model.pb'), 'partial');

    const written = await writeSavedModel(new Uint8Array([1, 2, 3]));
    expect(path.dirname(written)).toBe(dir);
    expect(path.basename(written)).toMatch(new RegExp(`^nas-compiled-${process.pid}-\\w{6}$`));
    expect(fs.readFileSync(path.join(written, 'saved_model.pb'))).toEqual(Buffer.from([1, 2, 3]));
    // The dead process's folder is gone; this process's, an old-style name and other files stay.
    expect(fs.readdirSync(dir).sort()).toEqual([names[1], names[2], path.basename(written), 'unrelated'].sort());
    await removeSavedModel(written);
    expect(fs.existsSync(written)).toBe(false);
  });
});
