import type { TrialProgress } from '../core/events.js';
import type { TrialOutcome } from '../core/trial.js';
import type { RunOptions } from '../backend/pool/isolated-pool.js';
import type { TaskOutcome } from '../backend/pool/protocol.js';
import type { TrialTask } from './worker/trial-task.js';

/**
 * What turns a trial task into an outcome: the isolated worker pool in a real search, or an
 * in-process function (a table lookup for benchmarks and tests). Never rejects.
 */
export interface Evaluator<Task = TrialTask, Result = TrialOutcome, Progress = TrialProgress> {
  readonly concurrency: number;
  run(task: Task, options?: RunOptions<Progress>): Promise<TaskOutcome<Result>>;
  /** The driver recorded trial `trialId`'s result: what the evaluator kept for it may go (the queue's job). */
  recorded?(trialId: number): Promise<void>;
  close(): Promise<void>;
}

/** How a trial's task ended: its outcome, or why it failed. */
export type TrialTaskOutcome = TaskOutcome<TrialOutcome>;

export type { TaskOutcome } from '../backend/pool/protocol.js';
