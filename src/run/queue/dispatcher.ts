import { Job, Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import type { TrialProgress } from '../../core/events.js';
import type { RunOptions } from '../../backend/pool/isolated-pool.js';
import type { Evaluator } from '../evaluator.js';
import type { TrialTask } from '../worker/trial-task.js';
import { lostNote } from './lost-attempts.js';
import { workerOf } from './worker-note.js';
import {
  CANCEL_CHANNEL,
  QUEUE_NAME,
  cancelKey,
  nasVersion,
  queueConnection,
  trialJobId,
  type QueueJob,
  type QueueResult,
} from './protocol.js';

export interface DispatcherOptions {
  /** The Redis URL of the queue. */
  readonly url: string;
  /** How many trials the driver keeps queued or running at once. */
  readonly inflight: number;
  /** The experiment the trials belong to (their job ids carry it). */
  readonly experiment: { readonly id: number; readonly createdAt: number };
  /** The data set's fingerprint here: a worker whose data differs refuses the trial. */
  readonly fingerprint: string;
  /** How often queued jobs are looked up besides the queue's events (which a Redis restart may lose); default 2 s. */
  readonly pollMs?: number;
}

/** A trial waiting for its job's result. */
type Waiting = {
  readonly data: QueueJob;
  readonly settle: (outcome: QueueResult) => void;
  readonly onProgress?: (progress: TrialProgress) => void;
};

/** How long a cancel mark lives in Redis: longer than any trial. */
const CANCEL_MARK_SECONDS = 7 * 24 * 3600;

/**
 * The queue evaluator (docs/distributed.md): each trial is a BullMQ job, its id derived from the
 * trial id (queued at most once), taken by a `nas worker` on any machine. Progress comes back as
 * the job's progress, the outcome as its result. A job is kept in Redis until the driver has
 * recorded its trial ({@link recorded}), so a driver that died in between finds it on resume.
 */
export class QueueDispatcher implements Evaluator {
  readonly concurrency: number;
  private readonly waiting = new Map<string, Waiting>();
  /** Per waiting job, the worker (host:pid) that announced its current attempt. */
  private readonly workers = new Map<string, string>();
  private readonly poller: NodeJS.Timeout;
  private closed = false;

  private constructor(
    private readonly options: DispatcherOptions,
    private readonly queue: Queue<QueueJob, QueueResult>,
    private readonly events: QueueEvents,
    private readonly redis: Redis,
  ) {
    this.concurrency = options.inflight;
    // While Redis is away, each connection reports every failed reconnect. Its commands wait and go on
    // when Redis is back (queueConnection), so these are not the search's errors: unheard, they would
    // be printed over the dashboard.
    const unheard = () => undefined;
    queue.on('error', unheard);
    events.on('error', unheard);
    redis.on('error', unheard);
    events.on('progress', ({ jobId, data }) => this.progress(jobId, data as TrialProgress));
    // A stall check put the job back in the queue: its worker died (or lost the lock). The event's
    // stream id starts with Redis's time of the stall.
    events.on('stalled', ({ jobId }, id) => this.lost(jobId, Number(id.split('-')[0]) || Date.now()));
    // A completed job's event carries its result: the trial settles without reading the job back.
    events.on('completed', ({ jobId, returnvalue }) => this.waiting.get(jobId)?.settle(returnvalue as QueueResult));
    events.on('failed', ({ jobId }) => this.poll(jobId));
    this.poller = setInterval(() => {
      for (const jobId of this.waiting.keys()) this.poll(jobId);
    }, options.pollMs ?? 2000);
  }

  /** Connects to the queue at `options.url` (waits for Redis). */
  static async open(options: DispatcherOptions): Promise<QueueDispatcher> {
    const connection = queueConnection(options.url, 'dispatch.queue');
    const queue = new Queue<QueueJob, QueueResult>(QUEUE_NAME, { connection });
    const events = new QueueEvents(QUEUE_NAME, { connection });
    const redis = new Redis(options.url, { maxRetriesPerRequest: null });
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    return new QueueDispatcher(options, queue, events, redis);
  }

  /** Queues the trial (or finds its job already queued, as on resume) and waits for its outcome. */
  run(task: TrialTask, options: RunOptions<TrialProgress> = {}): Promise<QueueResult> {
    const jobId = this.jobId(task.trialId);
    const data: QueueJob = {
      task,
      version: nasVersion(),
      fingerprint: this.options.fingerprint,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    };
    return new Promise((resolve) => {
      const onAbort = () => void this.cancel(jobId);
      const settle = (outcome: QueueResult) => {
        if (!this.waiting.has(jobId)) return;
        this.waiting.delete(jobId);
        this.workers.delete(jobId);
        options.signal?.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      this.waiting.set(jobId, {
        data,
        settle,
        ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
      });
      options.signal?.addEventListener('abort', onAbort, { once: true });
      void this.add(jobId, data).then(
        () => (options.signal?.aborted === true ? this.cancel(jobId) : this.poll(jobId)),
        (error: unknown) =>
          settle({
            ok: false,
            kind: 'error',
            error: {
              name: 'QueueError',
              message: `could not queue the trial on ${this.options.url}: ${String(error)}`,
            },
          }),
      );
    });
  }

  /** Whether trial `trialId` has a job in the queue (waiting, running or finished, not yet recorded). */
  async has(trialId: number): Promise<boolean> {
    return (await Job.fromId(this.queue, this.jobId(trialId))) !== undefined;
  }

  /** The driver recorded the trial: its job and cancel mark go. */
  async recorded(trialId: number): Promise<void> {
    const jobId = this.jobId(trialId);
    await Promise.all([this.queue.remove(jobId), this.redis.del(cancelKey(jobId))]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.poller);
    for (const w of this.waiting.values())
      w.settle({
        ok: false,
        kind: 'cancelled',
        error: { name: 'QueueClosed', message: 'the dispatcher closed before the trial ended' },
      });
    await Promise.all([this.queue.close(), this.events.close()]);
    this.redis.disconnect();
  }

  private jobId(trialId: number): string {
    return trialJobId(this.options.experiment, trialId);
  }

  /** Relays a job's progress to its trial, noting which worker runs the attempt. */
  private progress(jobId: string, progress: TrialProgress): void {
    const waiting = this.waiting.get(jobId);
    if (waiting === undefined) return;
    const worker = workerOf(progress);
    if (worker !== undefined) this.workers.set(jobId, worker);
    waiting.onProgress?.(progress);
  }

  /** A job stalled: the attempt is lost (the job runs again, or fails after its second stall); its trial hears of it. */
  private lost(jobId: string, at: number): void {
    const waiting = this.waiting.get(jobId);
    if (waiting === undefined) return;
    const worker = this.workers.get(jobId);
    this.workers.delete(jobId);
    waiting.onProgress?.(lostNote(worker, at));
  }

  private async add(jobId: string, data: QueueJob): Promise<void> {
    await this.queue.add('trial', data, { jobId, removeOnComplete: false, removeOnFail: false });
  }

  /** Checks a job in the background: a look-up that fails is made again at the next poll. */
  private poll(jobId: string): void {
    this.check(jobId).catch(() => undefined);
  }

  /** Settles a trial whose job finished; queues it again if Redis lost it (restarted without its data). */
  private async check(jobId: string): Promise<void> {
    const waiting = this.waiting.get(jobId);
    if (waiting === undefined) return;
    // The state first, then the job: a worker that finishes between the two reads has written the
    // result with the state (one script), whereas a job read before its state may lack its result.
    const state = await this.queue.getJobState(jobId);
    if (state === 'unknown') return this.add(jobId, waiting.data);
    if (state !== 'completed' && state !== 'failed') return;
    const job = await Job.fromId(this.queue, jobId);
    if (job === undefined) return; // removed since: its trial was cancelled
    waiting.settle(state === 'completed' ? job.returnvalue : workerLost(job.failedReason));
  }

  /** Removes a job no worker has taken; asks the worker running it to stop it (its result then says `cancelled`). */
  private async cancel(jobId: string): Promise<void> {
    await this.redis.set(cancelKey(jobId), '1', 'EX', CANCEL_MARK_SECONDS);
    const job = await Job.fromId(this.queue, jobId);
    const removed =
      job === undefined ||
      (await job.remove().then(
        () => true,
        () => false,
      ));
    if (removed)
      this.waiting.get(jobId)?.settle({
        ok: false,
        kind: 'cancelled',
        error: { name: 'Cancelled', message: 'the trial was cancelled before a worker took it' },
      });
    else await this.redis.publish(CANCEL_CHANNEL, jobId);
  }
}

/** The outcome of a job BullMQ gave up on: its worker died (or lost the job's lock) more often than it retries. */
function workerLost(failedReason: string): QueueResult {
  return {
    ok: false,
    kind: 'error',
    error: {
      name: 'WorkerLost',
      message: `the worker running the trial was lost: ${failedReason}`,
      reason: 'worker-lost',
    },
  };
}
