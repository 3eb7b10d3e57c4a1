import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openSqliteStorage, type LeaseClaim } from '../../../src/backend/storage/index.js';
import { tempDir } from './temp.js';

const dir = tempDir();
const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'claim-lease.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;

/** The lines a child has printed so far, and a promise of its next one. */
function lines(child: ChildProcessWithoutNullStreams): () => Promise<string> {
  const queue: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      const next = waiting.shift();
      if (next === undefined) queue.push(line);
      else next(line);
    }
  });
  return () => (queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise((resolve) => waiting.push(resolve)));
}

describe('the owner lease across processes', () => {
  it('goes to exactly one of several processes that claim it at the same moment', async () => {
    const file = path.join(dir, 'claimed.db');
    const storage = await openSqliteStorage(file);
    const experiment = await storage.createExperiment({ name: 'contested', config: {}, seed: 1 });
    const children = Array.from({ length: 4 }, () => spawn(process.execPath, ['--import', TSX, fixture, file, 'contested']));
    const next = children.map(lines);
    try {
      for (const line of next) expect(await line()).toBe('ready');
      for (const child of children) child.stdin.write('go\n');
      const results = await Promise.all(next.map(async (line) => JSON.parse(await line()) as { token: string; claim: LeaseClaim }));

      const winners = results.filter((r) => r.claim.acquired);
      expect(winners).toHaveLength(1);
      const lease = await storage.readLease(experiment.id);
      expect(lease?.token).toBe(winners[0]!.token);
      expect(lease?.pid).toBe(children[results.indexOf(winners[0]!)]!.pid);
      for (const r of results.filter((x) => !x.claim.acquired)) expect(r.claim).toMatchObject({ acquired: false, holder: lease });
    } finally {
      for (const child of children) child.stdin.end();
      await Promise.all(children.map((c) => new Promise((resolve) => (c.exitCode === null ? c.on('exit', resolve) : resolve(null)))));
      await storage.close();
    }
  });
});
