import type { Json } from '../core/arch.js';
import type { TaskOutcome } from '../backend/pool/protocol.js';

/**
 * What turns a trial task into an outcome: the isolated worker pool in a real search, or an
 * in-process function (a table lookup for benchmarks and tests). Never rejects.
 */
export interface Evaluator {
  readonly concurrency: number;
  run(payload: Json, options?: { readonly signal?: AbortSignal; readonly onProgress?: (data: Json) => void; readonly timeoutMs?: number }): Promise<TaskOutcome>;
  close(): Promise<void>;
}

export type { TaskOutcome } from '../backend/pool/protocol.js';
