import { hostname } from 'node:os';
import { DelayedError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { TrialProgress } from '../../core/events.js';
import { errorLines } from './error-lines.js';
import { refusalOf } from './refusal.js';
import { workerNote } from './worker-note.js';
import type { Evaluator } from '../evaluator.js';
import { trialPoolOf } from '../trial-pool.js';
import {
  CANCEL_CHANNEL,
  QUEUE_NAME,
  cancelKey,
  nasVersion,
  queueConnection,
  type QueueJob,
  type QueueResult,
} from './protocol.js';

export interface QueueWorkerOptions {
  /** The Redis URL of the queue. */
  readonly url: string;
  /** Trials run at once (threads of this worker's pool). */
  readonly concurrency: number;
  /** TensorFlow threads of each trial (`nas worker --threads`); by default the cores are split between the `concurrency` trials. */
  readonly threads?: number;
  /** How long a job's lock lasts unrenewed: a dead worker's trial goes back to the queue after about this long (default 30 s). */
  readonly lockMs?: number;
  /** Where the worker says what it does (one line each). */
  readonly log: (line: string) => void;
  /** What runs the trials: by default this machine's isolated pool of `concurrency` threads (bench/queue.ts gives one that does nothing). */
  readonly evaluator?: Evaluator;
}

/** A job refused for a mismatch goes back to the queue after this long, for another worker. */
const REFUSED_DELAY_MS = 1000;

/** A running `nas worker`: its label (host:pid) and a graceful close (running trials finish). */
export interface QueueWorker {
  readonly label: string;
  close(): Promise<void>;
}

/**
 * Takes trials from the queue and trains each in this machine's isolated pool (a child process:
 * training blocks its event loop, never this one's, so the job locks are renewed on time). A job
 * whose nas version or data set fingerprint differs from this machine's is refused: delayed for
 * a second and left for another worker.
 */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const label = `${hostname()}:${process.pid}`;
  const connection = queueConnection(options.url, '--queue');
  const redis = new Redis(options.url, { maxRetriesPerRequest: null });
  const cancels = new Redis(options.url, { maxRetriesPerRequest: null });
  const onError = errorLines(label, options.log);
  redis.on('error', onError);
  cancels.on('error', onError);
  const running = new Map<string, AbortController>();
  await cancels.subscribe(CANCEL_CHANNEL);
  cancels.on('message', (_channel: string, jobId: string) => running.get(jobId)?.abort());
  const pool = options.evaluator ?? trialPoolOf(options.concurrency, options.threads);

  const processor = async (job: Job<QueueJob, QueueResult>, token?: string): Promise<QueueResult> => {
    const jobId = job.id as string;
    const { task } = job.data;
    const refusal = await refusalOf(job.data);
    if (refusal !== undefined) {
      options.log(`${label} refused trial ${task.number} of ${task.config.name} (job ${jobId}): ${refusal}`);
      await job.updateProgress({ kind: 'note', text: `${label} refused it: ${refusal}` } satisfies TrialProgress);
      await job.moveToDelayed(Date.now() + REFUSED_DELAY_MS, token);
      throw new DelayedError();
    }
    if ((await redis.exists(cancelKey(jobId))) === 1)
      return {
        ok: false,
        kind: 'cancelled',
        error: { name: 'Cancelled', message: 'the trial was cancelled before it ran' },
      };
    // Announced before the trial starts: if this process dies from here on, its lost attempt names it.
    await job.updateProgress(workerNote(label));
    const controller = new AbortController();
    running.set(jobId, controller);
    options.log(`${label} runs trial ${task.number} of ${task.config.name} (job ${jobId})`);
    let reported: Promise<unknown> = Promise.resolve();
    try {
      const outcome = await pool.run(task, {
        signal: controller.signal,
        onProgress: (progress) => (reported = reported.then(() => job.updateProgress(progress))),
        ...(job.data.timeoutMs === undefined ? {} : { timeoutMs: job.data.timeoutMs }),
      });
      await reported;
      options.log(
        `${label} finished trial ${task.number} of ${task.config.name}: ${outcome.ok ? 'ok' : `${outcome.kind}: ${outcome.error.message}`}`,
      );
      return outcome;
    } finally {
      running.delete(jobId);
    }
  };

  const lockDuration = options.lockMs ?? 30_000;
  const worker = new Worker<QueueJob, QueueResult>(QUEUE_NAME, processor, {
    connection,
    concurrency: options.concurrency,
    lockDuration,
    stalledInterval: lockDuration,
    maxStalledCount: 1,
  });
  worker.on('error', onError);
  await worker.waitUntilReady();
  options.log(
    `${label} takes trials from ${options.url} (nas ${nasVersion()}, ${options.concurrency} at once${options.threads === undefined ? '' : `, ${options.threads} TensorFlow thread(s) each`})`,
  );
  return {
    label,
    close: async () => {
      await worker.close();
      await pool.close();
      cancels.disconnect();
      redis.disconnect();
    },
  };
}
