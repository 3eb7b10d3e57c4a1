// What the distributed tests share: `nas worker` processes (the real command) and a small real search.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunEvent } from '../../../src/core/events.js';
import type { ExperimentConfig } from '../../../src/run/config.js';
import { openSqliteStorage } from '../../../src/backend/storage/index.js';
import { listLostAttempts, type LostAttempt } from '../../../src/run/queue/lost-attempts.js';
import { testConfig } from '../helpers.js';

const NAS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/nas.js');

/** A `nas worker` process and what it said (its stderr, one line each). */
export class WorkerProcess {
  readonly lines: string[] = [];
  readonly child: ChildProcess;
  private readonly exited: Promise<void>;

  constructor(url: string, args: readonly string[] = [], nas = NAS) {
    this.child = spawn(process.execPath, [nas, 'worker', '--queue', url, '--lock-ms', '3000', ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let rest = '';
    this.child.stderr?.on('data', (chunk: Buffer) => {
      const parts = (rest + chunk.toString()).split('\n');
      rest = parts.pop() ?? '';
      this.lines.push(...parts);
    });
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  /** Waits until a line matches (or the time runs out). */
  async waitFor(pattern: RegExp, ms = 60_000): Promise<string> {
    const until = Date.now() + ms;
    for (;;) {
      const line = this.lines.find((l) => pattern.test(l));
      if (line !== undefined) return line;
      if (Date.now() > until)
        throw new Error(`no line matching ${pattern} within ${ms} ms; the worker said:\n${this.lines.join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The trial numbers this worker finished. */
  finished(): number[] {
    return this.numbers(/finished trial (\d+) /);
  }

  /** The trial numbers this worker is running now (started, not finished). */
  running(): number[] {
    const finished = this.finished();
    return this.numbers(/runs trial (\d+) /).filter((n) => !finished.includes(n));
  }

  private numbers(pattern: RegExp): number[] {
    return this.lines.flatMap((l) => {
      const m = pattern.exec(l);
      return m ? [Number(m[1])] : [];
    });
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    await this.exited;
  }
}

/** A search of tiny real trials (NB201, one cell, synthetic 8×8 images, one epoch) sent to the queue at `url`. */
export function queuedConfig(url: string, trials: number, overrides: Partial<ExperimentConfig> = {}): ExperimentConfig {
  return testConfig({
    dataset: {
      name: 'synthetic',
      options: { trainCount: 128, testCount: 32, height: 8, width: 8, channels: 1, classes: 2 },
      validationFraction: 0.25,
    },
    space: { name: 'nb201', options: { cells: 1, channels: 4 } },
    train: { epochs: 1, batchSize: 32, engine: 'eager' },
    keepModels: 'none',
    budget: { trials },
    dispatch: { queue: url, inflight: 3 },
    ...overrides,
  });
}

/** Which worker (host:pid) each trial number ran on last, from the progress notes the driver relayed. */
export function workersOf(events: readonly RunEvent[]): Map<number, string> {
  const map = new Map<number, string>();
  for (const e of events) {
    if (e.type !== 'trial-progress' || e.progress.kind !== 'note') continue;
    const worker = (e.progress.data as { worker?: string } | undefined)?.worker;
    if (worker !== undefined) map.set(e.number, worker);
  }
  return map;
}

/** The lost attempts recorded in the config's experiment (its `worker-lost` events), read with a fresh connection. */
export async function storedLostAttempts(config: Pick<ExperimentConfig, 'storage' | 'name'>): Promise<LostAttempt[]> {
  const storage = await openSqliteStorage(config.storage);
  try {
    const experiment = await storage.getExperiment(config.name);
    return experiment === undefined ? [] : await listLostAttempts(storage, experiment.id);
  } finally {
    await storage.close();
  }
}

/** The environments of the processes whose parent is `pid` (a worker's pool host), from /proc. */
export function childEnvironments(pid: number): Map<string, string>[] {
  const children = readdirSync('/proc').filter((d) => {
    if (!/^\d+$/.test(d)) return false;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
    } catch {
      return false; // gone since
    }
  });
  return children.map(
    (d) =>
      new Map(
        readFileSync(`/proc/${d}/environ`, 'utf8')
          .split('\0')
          .filter((kv) => kv.includes('='))
          .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as [string, string]),
      ),
  );
}
