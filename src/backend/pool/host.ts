// The pool host: a child process that owns the Piscina pool, so that a native crash of a candidate
// (TensorFlow CHECK abort, the OOM killer) kills this process, not the driver. Started by
// IsolatedPool with the worker module, thread count and TensorFlow thread plan in its environment.
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import {
  PORT_END,
  PROTOCOL_VERSION,
  serializeError,
  type HostMessage,
  type HostRequest,
  type SerializedError,
  type StopKind,
  type TaskOutcome,
} from './protocol.js';
import { listensForStop, requestStop, stopFlags } from './stop.js';

/** What ts-worker.mjs returns; the host passes values and progress through without looking at them. */
type WorkerResult = { ok: true; value: unknown } | { ok: false; error: SerializedError };

const entry = process.env.NAS_POOL_ENTRY as string;
const workers = Number(process.env.NAS_POOL_WORKERS ?? '1');
const pool = new Piscina({
  filename: new URL('./ts-worker.mjs', import.meta.url).href,
  workerData: { entry },
  minThreads: workers,
  maxThreads: workers,
  idleTimeout: Number.POSITIVE_INFINITY,
  concurrentTasksPerWorker: 1,
});
const stopGraceMs = Number(process.env.NAS_POOL_STOP_GRACE_MS ?? '5000');

/** A task on a worker thread: its stop flags, the abort that terminates its thread, and why it was stopped. */
type Running = { flags: Int32Array; controller: AbortController; kind: StopKind | undefined; grace?: NodeJS.Timeout };
const running = new Map<number, Running>();

function send(message: HostMessage): void {
  process.send?.(message);
}

async function run(id: number, request: HostRequest & { type: 'run' }): Promise<void> {
  const entryState: Running = { flags: stopFlags(), controller: new AbortController(), kind: undefined };
  running.set(id, entryState);
  const { port1, port2 } = new MessageChannel();
  const drained = new Promise<void>((resolve) => {
    port1.on('message', (data) =>
      data === PORT_END ? resolve() : send({ type: 'progress', v: PROTOCOL_VERSION, id, data }),
    );
  });
  let outcome: TaskOutcome<unknown>;
  try {
    const result = (await pool.run(
      { payload: request.payload, port: port2, stop: entryState.flags },
      { transferList: [port2], signal: entryState.controller.signal },
    )) as WorkerResult;
    // A task that fails after a stop was asked ended because of it (it threw TaskStoppedError, or its
    // work was cut short): it is reported as the stop, like a terminated one.
    outcome = result.ok
      ? { ok: true, value: result.value }
      : { ok: false, kind: entryState.kind ?? 'error', error: result.error };
  } catch (error) {
    outcome = { ok: false, kind: entryState.kind ?? 'error', error: serializeError(error) };
  } finally {
    clearTimeout(entryState.grace);
    // A terminated or crashed worker never sends the end mark: wait a little, not forever.
    await Promise.race([drained, new Promise((r) => setTimeout(r, 1000))]);
    port1.close();
    running.delete(id);
  }
  send({ type: 'done', v: PROTOCOL_VERSION, id, outcome });
}

/**
 * Stops a running task: a task that checks its stops (WorkerTask's `throwIfStopped`) ends itself at
 * its next check and its thread, with what it keeps warm (TensorFlow, the data cache), takes the next
 * task; after `stopGraceMs` (a long batch, a loop in native code), or at once for a task that never
 * checks, Piscina's abort terminates the thread.
 */
function stop(task: Running, kind: StopKind): void {
  if (task.kind !== undefined) return;
  task.kind = kind;
  requestStop(task.flags, kind);
  if (listensForStop(task.flags)) task.grace = setTimeout(() => task.controller.abort(), stopGraceMs);
  else task.controller.abort();
}

process.on('message', (message: HostRequest) => {
  if (message.v !== PROTOCOL_VERSION) throw new Error(`pool protocol ${message.v}, host speaks ${PROTOCOL_VERSION}`);
  if (message.type === 'run') void run(message.id, message);
  else if (message.type === 'cancel') {
    const task = running.get(message.id);
    if (task) stop(task, message.kind);
  } else if (message.type === 'close') void pool.destroy().then(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
// A terminal's Ctrl-C reaches the whole process group: the driver decides what it means (running
// trials finish; a second one cancels them) and this process ends when the driver closes or leaves.
process.on('SIGINT', () => undefined);

send({ type: 'ready', v: PROTOCOL_VERSION, workers });
