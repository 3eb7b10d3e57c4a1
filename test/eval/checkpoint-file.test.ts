import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCheckpoint, writeCheckpoint } from '../../src/eval/checkpoint-file.js';

describe('checkpoint files', () => {
  it('round-trip every array bit for bit, with its shape, and the meta', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nas-ckpt-'));
    const file = path.join(dir, 'a.ckpt');
    const arrays = [
      { name: 'w/0', shape: [2, 3], data: Float32Array.from([1, -2, 3.5, Number.NaN, Infinity, 1e-38]) },
      { name: 'alpha/normal', shape: [1], data: Float32Array.from([0.125]) },
      { name: 'empty', shape: [0], data: new Float32Array(0) },
    ];
    await writeCheckpoint(file, { epoch: 3, note: 'é' }, arrays);
    const { meta, arrays: read } = await readCheckpoint(file);
    expect(meta).toEqual({ epoch: 3, note: 'é' });
    expect([...read.keys()]).toEqual(['w/0', 'alpha/normal', 'empty']);
    for (const a of arrays) {
      expect(read.get(a.name)?.shape).toEqual(a.shape);
      expect(Buffer.from((read.get(a.name)?.data ?? new Float32Array()).buffer)).toEqual(Buffer.from(a.data.buffer));
    }
  });

  it('names the file when it is not a checkpoint or is cut short', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nas-ckpt-'));
    const other = path.join(dir, 'other.ckpt');
    await writeFile(other, 'hello world');
    await expect(readCheckpoint(other)).rejects.toThrow(`${other} is not a nas checkpoint`);
    const file = path.join(dir, 'cut.ckpt');
    await writeCheckpoint(file, {}, [{ name: 'w/0', shape: [4], data: new Float32Array(4) }]);
    const bytes = await readFile(file);
    await writeFile(file, bytes.subarray(0, bytes.length - 4));
    await expect(readCheckpoint(file)).rejects.toThrow(`${file} is truncated: tensor "w/0" ends past the data`);
  });
});
