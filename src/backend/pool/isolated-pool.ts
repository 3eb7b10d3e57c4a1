import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { ThreadPlan } from '../tf.js';
import {
  PROTOCOL_VERSION,
  type HostMessage,
  type HostRequest,
  type TaskOutcome,
  type WorkerEntry,
} from './protocol.js';

export type PoolOptions<Task, Result, Progress> = {
  /** The worker module (a file: URL); its default export takes a {@link WorkerTask} and types the pool. */
  readonly workerEntry: WorkerEntry<Task, Result, Progress>;
  readonly workers: number;
  readonly threads: ThreadPlan;
  /** Extra environment for the host process. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * How long a cancelled or timed-out task that checks its stops may take to end before its thread is
   * terminated (host.ts, `stop`). Default 5000: a batch of a large network can take seconds.
   */
  readonly stopGraceMs?: number;
};

export type RunOptions<Progress> = {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: Progress) => void;
};

/** A task from its run until its outcome: queued, then in flight on the host. */
type Pending<Task, Result, Progress> = {
  id: number;
  payload: Task;
  options: RunOptions<Progress>;
  resolve: (o: TaskOutcome<Result>) => void;
  suspect: boolean;
  timer?: NodeJS.Timeout;
  onAbort?: () => void;
};

const require = createRequire(import.meta.url);
const TSX = pathToFileURL(require.resolve('tsx/esm')).href;
const HOST = new URL('./host.ts', import.meta.url);
const MAX_START_FAILURES = 3;

/**
 * A Piscina pool in a child process that the driver watches. A task that throws, times out or is
 * cancelled fails alone; a cancelled or timed-out task is asked to stop in its thread first, and its
 * thread is terminated only if it does not end within the grace period. When the host process dies, the tasks it was running cannot all be blamed:
 * a lone task is `crashed`; several are re-run one at a time ("quarantine") so that only the one
 * that kills the process alone is recorded as crashed. The host is restarted after every death.
 */
export class IsolatedPool<Task, Result, Progress> {
  private host: ChildProcess | undefined;
  private ready = false;
  private readonly queue: Pending<Task, Result, Progress>[] = [];
  private readonly inflight = new Map<number, Pending<Task, Result, Progress>>();
  private nextId = 1;
  private startFailures = 0;
  private closed = false;
  /** The end of the host's stderr: a native crash explains itself there. */
  private stderrTail = '';
  /** Number of host processes started, for tests and diagnostics. */
  starts = 0;

  constructor(private readonly options: PoolOptions<Task, Result, Progress>) {
    this.spawn();
  }

  /** Runs one task; never rejects: failures come back as outcomes. */
  run(payload: Task, options: RunOptions<Progress> = {}): Promise<TaskOutcome<Result>> {
    if (this.closed)
      return Promise.resolve({
        ok: false,
        kind: 'cancelled',
        error: { name: 'PoolClosed', message: 'the pool is closed' },
      });
    return new Promise((resolve) => {
      const task: Pending<Task, Result, Progress> = { id: this.nextId++, payload, options, resolve, suspect: false };
      task.onAbort = () => this.cancel(task, 'cancelled');
      options.signal?.addEventListener('abort', task.onAbort, { once: true });
      this.queue.push(task);
      this.pump();
    });
  }

  /** Stops the host after the running tasks are cancelled. */
  async close(): Promise<void> {
    this.closed = true;
    for (const task of [...this.queue])
      this.finish(task, {
        ok: false,
        kind: 'cancelled',
        error: { name: 'PoolClosed', message: 'the pool closed before the task ran' },
      });
    for (const task of this.inflight.values()) this.cancel(task, 'cancelled');
    const host = this.host;
    if (host && host.exitCode === null && host.signalCode === null) {
      const exited = new Promise((r) => host.once('exit', r));
      this.send({ type: 'close', v: PROTOCOL_VERSION });
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (host.exitCode === null) host.kill('SIGKILL');
    }
  }

  private spawn(): void {
    this.ready = false;
    this.starts++;
    const env = {
      ...process.env,
      ...this.options.env,
      NAS_POOL_ENTRY: this.options.workerEntry.url,
      NAS_POOL_WORKERS: String(this.options.workers),
      ...(this.options.stopGraceMs === undefined ? {} : { NAS_POOL_STOP_GRACE_MS: String(this.options.stopGraceMs) }),
      TF_NUM_INTRAOP_THREADS: String(this.options.threads.intraOp),
      TF_NUM_INTEROP_THREADS: String(this.options.threads.interOp),
      OMP_NUM_THREADS: String(this.options.threads.intraOp),
      TF_CPP_MIN_LOG_LEVEL: process.env.TF_CPP_MIN_LOG_LEVEL ?? '2',
    };
    const host = fork(HOST, [], {
      execArgv: ['--import', TSX],
      env,
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.stderrTail = '';
    host.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-4000);
    });
    // IPC carries no types: the host sends only what this pool's worker module returns and reports.
    host.on('message', (m: HostMessage<Result, Progress>) => this.onMessage(m));
    host.on('exit', (code, signal) => this.onExit(host, code, signal));
    this.host = host;
  }

  private onMessage(message: HostMessage<Result, Progress>): void {
    if (message.type === 'ready') {
      this.ready = true;
      this.startFailures = 0;
      this.pump();
    } else if (message.type === 'progress') {
      this.inflight.get(message.id)?.options.onProgress?.(message.data);
    } else if (message.type === 'done') {
      const task = this.inflight.get(message.id);
      if (task) this.finish(task, message.outcome);
      this.pump();
    }
  }

  private onExit(host: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (host !== this.host) return;
    this.host = undefined;
    const lost = [...this.inflight.values()];
    this.inflight.clear();
    const how = `${signal ? `signal ${signal}` : `exit code ${code}`}${lastLines(this.stderrTail)}`;
    if (!this.ready && lost.length === 0) this.startFailures++;
    if (lost.length === 1 && lost[0]) {
      this.finish(lost[0], {
        ok: false,
        kind: 'crashed',
        error: { name: 'WorkerCrash', message: `the trial's process died (${how})`, reason: 'crashed' },
      });
    } else {
      for (const task of lost) task.suspect = true;
      this.queue.unshift(...lost);
    }
    if (this.closed) return;
    if (this.startFailures >= MAX_START_FAILURES) {
      for (const task of this.queue.splice(0)) {
        this.finish(task, {
          ok: false,
          kind: 'error',
          error: {
            name: 'PoolStartError',
            message: `the pool host failed to start ${MAX_START_FAILURES} times (${how})`,
          },
        });
      }
      return;
    }
    this.spawn();
  }

  /** Dispatches queued tasks while the host has free workers; a suspect runs only alone. */
  private pump(): void {
    if (!this.ready || this.closed) return;
    while (this.queue.length > 0) {
      const next = this.queue[0] as Pending<Task, Result, Progress>;
      const busy = this.inflight.size;
      const soloRunning = [...this.inflight.values()].some((t) => t.suspect);
      if (soloRunning || busy >= this.options.workers || (next.suspect && busy > 0)) return;
      this.queue.shift();
      this.dispatch(next);
    }
  }

  private dispatch(task: Pending<Task, Result, Progress>): void {
    this.inflight.set(task.id, task);
    if (task.options.timeoutMs !== undefined)
      task.timer = setTimeout(() => this.cancel(task, 'timeout'), task.options.timeoutMs);
    this.send({ type: 'run', v: PROTOCOL_VERSION, id: task.id, payload: task.payload });
  }

  private cancel(task: Pending<Task, Result, Progress>, kind: 'timeout' | 'cancelled'): void {
    if (this.inflight.has(task.id)) this.send({ type: 'cancel', v: PROTOCOL_VERSION, id: task.id, kind });
    else if (this.queue.includes(task)) {
      this.queue.splice(this.queue.indexOf(task), 1);
      this.finish(task, {
        ok: false,
        kind,
        error: {
          name: 'Cancelled',
          message: `the task was ${kind === 'timeout' ? 'timed out' : 'cancelled'} before it ran`,
        },
      });
    }
  }

  private finish(task: Pending<Task, Result, Progress>, outcome: TaskOutcome<Result>): void {
    clearTimeout(task.timer);
    if (task.onAbort) task.options.signal?.removeEventListener('abort', task.onAbort);
    this.inflight.delete(task.id);
    task.resolve(outcome);
  }

  private send(message: HostRequest): void {
    this.host?.send(message);
  }
}

/** The last meaningful stderr lines of a dead host, minus TensorFlow's start-up notices. */
function lastLines(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '' && !/^(I0000|WARNING: All log messages)/.test(l));
  return lines.length === 0 ? '' : `: ${lines.slice(-3).join(' | ').slice(0, 500)}`;
}
