import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../storage/temp.js';
import { readEventFile } from './event-reader.js';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'write-then-die.ts');

describe('an event file of a killed process', () => {
  it('reads whole up to the last flush', async () => {
    const dir = path.join(tempDir('nas-tensorboard-'), 'trial-1');
    const child = spawn(process.execPath, ['--import', TSX, fixture, dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, s) => resolve(s)));
    expect({ signal, stderr }).toEqual({ signal: 'SIGKILL', stderr: '' });

    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    const { events, tail } = readEventFile(path.join(dir, files[0] as string));
    expect(tail).toBe(0);
    expect(events.map((e) => [e.step, e.fileVersion, e.values])).toEqual([
      [0, 'brain.Event:2', []],
      [1, undefined, [{ tag: 'loss/train', simpleValue: 1 }]],
      [2, undefined, [{ tag: 'loss/train', simpleValue: 0.5 }]],
      [3, undefined, [{ tag: 'loss/train', simpleValue: Math.fround(1 / 3) }]],
    ]);
  });
});
