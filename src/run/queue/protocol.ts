import { readFileSync } from 'node:fs';
import type { TrialOutcome } from '../../core/trial.js';
import { UserError } from '../../core/errors.js';
import type { TaskOutcome } from '../evaluator.js';
import type { TrialTask } from '../worker/trial-task.js';

/** The BullMQ queue every driver puts trials on and every `nas worker` takes them from. */
export const QUEUE_NAME = 'nas-trials';

/**
 * Version of the job data and results below; a worker refuses jobs of another protocol or nas version.
 * 2: a task may continue another trial's training state (`continues`, fidelity `scheduleEpochs`).
 */
export const QUEUE_PROTOCOL = 2;

/** The Redis channel on which a driver asks the worker running a job to stop it (its payload is the job id). */
export const CANCEL_CHANNEL = 'nas-trials:cancel';

/** The Redis key that marks a job cancelled, for a worker that takes it before the channel's message arrives. */
export function cancelKey(jobId: string): string {
  return `nas-trials:cancelled:${jobId}`;
}

/** What a queued trial carries: the task, and what a worker must match before it takes it. */
export interface QueueJob {
  readonly task: TrialTask;
  /** {@link nasVersion} of the driver. */
  readonly version: string;
  /** The data set's fingerprint on the driver's machine (src/run/worker/data-fingerprint.ts). */
  readonly fingerprint: string;
  /** The per-trial time limit, enforced by the worker's pool. */
  readonly timeoutMs?: number;
}

/** What a job returns: the trial's outcome, or why it failed (a failed trial still completes its job). */
export type QueueResult = TaskOutcome<TrialOutcome>;

let version: string | undefined;

/** This nas's version and the queue protocol (`0.1.0+q1`): a worker takes only jobs of its own. */
export function nasVersion(): string {
  if (version === undefined) {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    version = `${pkg.version}+q${QUEUE_PROTOCOL}`;
  }
  return version;
}

/**
 * The job id of a trial: the trial id, prefixed by its experiment's id and creation time so that
 * two experiments (two storage files) sharing a queue never share an id. BullMQ adds a job whose
 * id exists as a no-op: a trial is queued at most once.
 */
export function trialJobId(experiment: { readonly id: number; readonly createdAt: number }, trialId: number): string {
  return `e${experiment.id}-${experiment.createdAt}-t${trialId}`;
}

/**
 * BullMQ's connection options for a `redis://` URL. Commands wait while Redis is away (no retry
 * limit) instead of failing: a Redis restart pauses a search, it does not end it.
 */
export function queueConnection(
  url: string,
  field: string,
): { readonly url: string; readonly maxRetriesPerRequest: null } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError(
      'BAD_QUEUE',
      `${field}: expected a Redis URL such as redis://host:6379, got ${JSON.stringify(url)}`,
    );
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new UserError('BAD_QUEUE', `${field}: expected a redis:// or rediss:// URL, got ${JSON.stringify(url)}`);
  }
  return { url, maxRetriesPerRequest: null };
}
