/** Version of the messages between the driver and the pool host; both sides check it. */
export const PROTOCOL_VERSION = 1;

/** An error as plain data (it crosses a process boundary). `reason` survives (e.g. 'diverged'). */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly reason?: string;
}

/** How a task ended when it did not return a value. */
export type TaskFailureKind = 'error' | 'timeout' | 'cancelled' | 'crashed';

/** Why the pool stops a running task. */
export type StopKind = Extract<TaskFailureKind, 'timeout' | 'cancelled'>;

/** The result of one task: its value, or why it failed. */
export type TaskOutcome<Result> =
  | { readonly ok: true; readonly value: Result }
  | { readonly ok: false; readonly kind: TaskFailureKind; readonly error: SerializedError };

/** Driver → host. The host passes payloads through without looking at them. */
export type HostRequest =
  | { readonly type: 'run'; readonly v: number; readonly id: number; readonly payload: unknown }
  | { readonly type: 'cancel'; readonly v: number; readonly id: number; readonly kind: StopKind }
  | { readonly type: 'close'; readonly v: number };

/** Host → driver, carrying the results and progress of the pool's worker module. */
export type HostMessage<Result = unknown, Progress = unknown> =
  | { readonly type: 'ready'; readonly v: number; readonly workers: number }
  | { readonly type: 'progress'; readonly v: number; readonly id: number; readonly data: Progress }
  | { readonly type: 'done'; readonly v: number; readonly id: number; readonly outcome: TaskOutcome<Result> };

/** The last message on a task's progress port: everything the task reported has arrived. */
export const PORT_END = '__nas_port_end__';

/** Where a worker posts a task's progress: a MessagePort, typed by what the task reports. */
export interface ProgressPort<Progress> {
  postMessage(progress: Progress): void;
}

/**
 * What a worker module's default export receives: the task payload, a port for progress, and the
 * task's stop check. `throwIfStopped` throws a `TaskStoppedError` (stop.ts) once the pool cancels or
 * times out the task; the outcome is then `cancelled` or `timeout` and the thread takes the next task.
 * A task that has called it once is given the pool's grace period to end before its thread is
 * terminated; a task that never calls it is terminated at once.
 */
export interface WorkerTask<Task, Progress> {
  readonly payload: Task;
  readonly port: ProgressPort<Progress>;
  readonly throwIfStopped: () => void;
}

/**
 * The URL of a worker module, typed by its default export: a pool started on it takes `Task`
 * payloads and gives `Result` values and `Progress` messages. Declare one with {@link EntryOf}:
 * `const ENTRY: EntryOf<typeof work> = { url }`, `work` being the module's default export
 * imported as a type (the driver never loads the module itself).
 */
export interface WorkerEntry<Task, Result, Progress> {
  readonly url: string;
  /** Never set: it carries the types of the module's default export. */
  readonly run?: (task: WorkerTask<Task, Progress>) => Promise<Result>;
}

/** The {@link WorkerEntry} of a worker module whose default export is `F`. */
export type EntryOf<F> = F extends (task: WorkerTask<infer Task, infer Progress>) => Promise<infer Result>
  ? WorkerEntry<Task, Result, Progress>
  : never;

/** Turns anything thrown into a {@link SerializedError}. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const reason = (error as { reason?: unknown }).reason;
    return {
      name: error.name,
      message: error.message,
      ...(error.stack === undefined ? {} : { stack: error.stack }),
      ...(typeof reason === 'string' ? { reason } : {}),
    };
  }
  return { name: 'Error', message: String(error) };
}
