// The cooperative stop of a running task. The host gives each task a SharedArrayBuffer of two Int32
// slots, which the worker thread reads synchronously: a MessagePort message would only arrive when the
// task yields to the event loop, and a flag is read mid-batch at no cost. Slot STOP: what the host
// asked (0 nothing, then a StopKind's code); slot LISTENS: 1 once the task has checked for a stop,
// so the host knows whether waiting for the worker can help (a task that never checks is terminated).
import type { StopKind } from './protocol.js';

const STOP = 0;
const LISTENS = 1;
const KINDS: readonly (StopKind | undefined)[] = [undefined, 'cancelled', 'timeout'];

/** The flags of one task, shared between the host and the worker thread that runs it. */
export function stopFlags(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
}

/** Host side: asks the task to stop. */
export function requestStop(flags: Int32Array, kind: StopKind): void {
  Atomics.store(flags, STOP, KINDS.indexOf(kind));
}

/** Host side: whether the task runs in a worker module that checks its stops. */
export function listensForStop(flags: Int32Array): boolean {
  return Atomics.load(flags, LISTENS) === 1;
}

/** Worker side: the task's stop check, which marks the task as listening and throws once a stop was asked. */
export function stopCheck(flags: Int32Array): () => void {
  return () => {
    Atomics.store(flags, LISTENS, 1);
    const kind = KINDS[Atomics.load(flags, STOP)];
    if (kind !== undefined) throw new TaskStoppedError(kind);
  };
}

/** Thrown by a task that ends because the host asked it to stop; the host reports the stop's kind. */
export class TaskStoppedError extends Error {
  override readonly name = 'TaskStopped';
  constructor(readonly kind: StopKind) {
    super(`the task stopped at the pool's request (${kind === 'timeout' ? 'timed out' : 'cancelled'})`);
  }
}
