import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Child processes running the TypeScript fixtures of fixtures/, for tests across processes.

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** Runs `fixtures/<name>` with `args` in a new node process (through tsx). */
export function spawnFixture(name: string, args: readonly string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', TSX, path.join(FIXTURES, name), ...args]);
}

/** The lines a child has printed so far, and a promise of its next one. */
export function lines(child: ChildProcessWithoutNullStreams): () => Promise<string> {
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

/** Ends the children's stdin and waits until every one has exited. */
export async function endAll(children: readonly ChildProcessWithoutNullStreams[]): Promise<void> {
  for (const child of children) child.stdin.end();
  await Promise.all(
    children.map(
      (c) =>
        new Promise((resolve) =>
          c.exitCode === null && c.signalCode === null ? c.on('exit', resolve) : resolve(null),
        ),
    ),
  );
}
