import type { MessagePort } from 'node:worker_threads';
import type { Json } from '../../core/arch.js';

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

/** The result of one task: its value, or why it failed. */
export type TaskOutcome =
  | { readonly ok: true; readonly value: Json }
  | { readonly ok: false; readonly kind: TaskFailureKind; readonly error: SerializedError };

/** Driver → host. */
export type HostRequest =
  | { readonly type: 'run'; readonly v: number; readonly id: number; readonly payload: Json }
  | { readonly type: 'cancel'; readonly v: number; readonly id: number; readonly kind: 'timeout' | 'cancelled' }
  | { readonly type: 'close'; readonly v: number };

/** Host → driver. */
export type HostMessage =
  | { readonly type: 'ready'; readonly v: number; readonly workers: number }
  | { readonly type: 'progress'; readonly v: number; readonly id: number; readonly data: Json }
  | { readonly type: 'done'; readonly v: number; readonly id: number; readonly outcome: TaskOutcome };

/** The last message on a task's progress port: everything the task reported has arrived. */
export const PORT_END = '__nas_port_end__';

/** What a worker module's default export receives: the task payload and a port for progress. */
export interface WorkerTask {
  readonly payload: Json;
  readonly port: MessagePort;
}

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
