import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { UserError } from '../core/errors.js';
import type { OwnerTakeover, RunEvent } from '../core/events.js';
import { staleReason, type Experiment, type ExperimentLease, type Storage } from '../backend/storage/index.js';
import { fencedStorage } from './fenced-storage.js';
import { ownerText, secondsText } from './owner-text.js';

/** How often a driver shows it is alive, and after how long without that its lease is stale (docs/storage.md). */
export interface LeaseTiming {
  readonly heartbeatMs: number;
  readonly timeoutMs: number;
  /** This machine's name in the lease (default `os.hostname()`); tests pretend to be another machine. */
  readonly host?: string;
}

/** A heartbeat every 5 s; stale after 30 s without one (six missed heartbeats). */
export const LEASE_TIMING: LeaseTiming = { heartbeatMs: 5_000, timeoutMs: 30_000 };

/**
 * This process's ownership of one experiment (docs/storage.md, "Owner lease"): taken before the
 * driver writes anything, renewed on a timer, given up when the run ends. Writes go through
 * {@link OwnerLease.before}: once the lease is lost they are refused, and when the last confirmed
 * heartbeat is half a timeout old (the process stalled) a write first renews it.
 */
export class OwnerLease {
  private lostTo: UserError | undefined;
  private confirmedAt: number;
  private renewing: Promise<void> | undefined;
  /** A renewal that calls wait for (a write found the confirmation old), so they keep their order. */
  private blocking: Promise<void> | undefined;
  private readonly onLoss: ((why: string) => void)[] = [];
  private readonly timer: NodeJS.Timeout;
  private released = false;

  private constructor(
    private readonly storage: Storage,
    private readonly experiment: Experiment,
    private readonly lease: ExperimentLease,
    private readonly timing: LeaseTiming,
    confirmedAt: number,
    /** The stale owner this acquisition replaced, as stored in the `owner-takeover` event. */
    readonly takeover: OwnerTakeover | undefined,
  ) {
    this.confirmedAt = confirmedAt;
    this.timer = setInterval(() => void this.renew().catch(() => undefined), timing.heartbeatMs);
    this.timer.unref(); // a heartbeat never keeps the process alive
  }

  /**
   * Makes this process the experiment's owner, or throws EXPERIMENT_BUSY naming the owner. Taking
   * over a stale owner appends the `owner-takeover` event; nothing else is written.
   */
  static async acquire(
    storage: Storage,
    experiment: Experiment,
    timing: LeaseTiming = LEASE_TIMING,
  ): Promise<OwnerLease> {
    const claimant = { host: timing.host ?? os.hostname(), pid: process.pid, token: randomUUID() };
    const asked = Date.now();
    const claim = await storage.acquireLease(experiment.id, claimant, { staleAfterMs: timing.timeoutMs });
    if (!claim.acquired) throw experimentBusy(experiment.name, claim.holder, claim.checkedAt, timing);
    const { lease, takenOver } = claim;
    const takeover: OwnerTakeover | undefined =
      takenOver === undefined
        ? undefined
        : {
            previous: {
              host: takenOver.previous.host,
              pid: takenOver.previous.pid,
              startedAt: takenOver.previous.startedAt,
              heartbeatAt: takenOver.previous.heartbeatAt,
            },
            why: takenOver.why,
            heartbeatAgeMs: lease.startedAt - takenOver.previous.heartbeatAt,
            timeoutMs: timing.timeoutMs,
            owner: { host: lease.host, pid: lease.pid },
          };
    const owned = new OwnerLease(storage, experiment, lease, timing, asked, takeover);
    if (takeover !== undefined) {
      await storage
        .appendEvent(experiment.id, { type: 'owner-takeover', payload: takeover })
        .catch(async (error: unknown) => {
          await owned.release();
          throw error;
        });
    }
    return owned;
  }

  /** Set once another driver holds the lease: every later write is refused with it. */
  get lost(): UserError | undefined {
    return this.lostTo;
  }

  /** Calls `listener` once if the lease is lost (the run must stop: it may not write any more). */
  onLost(listener: (why: string) => void): void {
    this.onLoss.push(listener);
  }

  /**
   * What a storage call must wait for: nothing (undefined) while the lease is confirmed; a renewal
   * when a write finds the last confirmation half a timeout old (and every call after it waits too,
   * keeping their order); for a write, a rejection with {@link lost} once the lease is lost.
   */
  before(write: boolean): Promise<void> | undefined {
    if (write && this.lostTo !== undefined) return Promise.reject(this.lostTo);
    if (write && this.blocking === undefined && Date.now() - this.confirmedAt >= this.timing.timeoutMs / 2) {
      this.blocking = this.renew().finally(() => (this.blocking = undefined));
    }
    if (this.blocking === undefined) return undefined;
    if (!write) return this.blocking.catch(() => undefined);
    return this.blocking.then(() => {
      if (this.lostTo !== undefined) throw this.lostTo;
    });
  }

  /** Stops the heartbeat and gives the lease up, if this process still holds it. Never throws: a lease left behind is taken over later. */
  async release(): Promise<void> {
    clearInterval(this.timer);
    if (this.released || this.lostTo !== undefined) return;
    this.released = true;
    await this.renewing?.catch(() => undefined);
    await this.storage.releaseLease(this.experiment.id, this.lease.token).catch(() => undefined);
  }

  private renew(): Promise<void> {
    this.renewing ??= this.renewOnce().finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  private async renewOnce(): Promise<void> {
    if (this.released || this.lostTo !== undefined) return;
    const asked = Date.now();
    if (await this.storage.renewLease(this.experiment.id, this.lease.token)) {
      this.confirmedAt = asked;
      return;
    }
    this.lose(await this.storage.readLease(this.experiment.id).catch(() => undefined));
  }

  private lose(holder: ExperimentLease | undefined): void {
    clearInterval(this.timer);
    const name = this.experiment.name;
    const by =
      holder === undefined
        ? 'its lease was given up by another process'
        : `${ownerText(holder)} took it over, finding this process's heartbeat ${secondsText(this.timing.timeoutMs)} old or its process gone`;
    this.lostTo = new UserError(
      'EXPERIMENT_TAKEN_OVER',
      `this process lost experiment "${name}": ${by}; it stopped and wrote nothing more`,
      `the other process drives "${name}" now (\`nas ls\` shows its progress); if it should not, stop it and run \`nas resume ${name}\``,
    );
    for (const listener of this.onLoss) listener(this.lostTo.message);
  }
}

/**
 * The EXPERIMENT_BUSY error a claim would meet now, read without writing (so that `nas resume`
 * says it before its dashboard starts); the claim itself stays the one that decides.
 */
export async function busyError(
  storage: Storage,
  experiment: Experiment,
  timing: LeaseTiming = LEASE_TIMING,
): Promise<UserError | undefined> {
  const holder = await storage.readLease(experiment.id);
  if (holder === undefined) return undefined;
  const now = Date.now();
  const here = { host: timing.host ?? os.hostname(), pid: process.pid, token: '' };
  return staleReason(holder, here, now, timing.timeoutMs) === undefined
    ? experimentBusy(experiment.name, holder, now, timing)
    : undefined;
}

/** The error of a driver refused because another one holds the experiment. */
function experimentBusy(name: string, holder: ExperimentLease, checkedAt: number, timing: LeaseTiming): UserError {
  return new UserError(
    'EXPERIMENT_BUSY',
    `experiment "${name}" is driven by another nas process: ${ownerText(holder)}, last heartbeat ${secondsText(checkedAt - holder.heartbeatAt)} ago; nothing was written`,
    `wait for it to end (\`nas ls\` shows its progress), or stop it (Ctrl-C where it runs, or \`kill ${holder.pid}\` on ${holder.host}) and run \`nas resume ${name}\`; ` +
      `if it died on another machine, \`nas resume ${name}\` takes it over once its heartbeat is ${secondsText(timing.timeoutMs)} old`,
  );
}

/** What {@link runAsOwner} needs of a search's hooks. */
interface OwnerHooks {
  readonly emit: (event: RunEvent) => void;
  readonly stop?: { readonly onStop: (listener: (why: string) => void) => void };
  readonly lease?: LeaseTiming;
}

/**
 * Runs `run` as the experiment's one owner: the lease is taken before anything is written (a busy
 * experiment throws EXPERIMENT_BUSY), `run` gets the storage fenced by it and a stop hook that also
 * fires, twice (cancelling running trials), if the lease is lost; the lease is given up at the end,
 * however the run ends. A run that lost its lease throws EXPERIMENT_TAKEN_OVER.
 */
export async function runAsOwner<H extends OwnerHooks, T>(
  storage: Storage,
  experiment: Experiment,
  hooks: H,
  run: (storage: Storage, hooks: H) => Promise<T>,
): Promise<T> {
  const lease = await OwnerLease.acquire(storage, experiment, hooks.lease);
  try {
    if (lease.takeover !== undefined)
      hooks.emit({ type: 'owner-takeover', t: Date.now(), experiment: experiment.name, takeover: lease.takeover });
    const stop = {
      onStop: (listener: (why: string) => void) => {
        hooks.stop?.onStop(listener);
        lease.onLost((why) => {
          listener(why);
          listener(why);
        });
      },
    };
    const result = await run(fencedStorage(storage, lease), { ...hooks, stop });
    if (lease.lost !== undefined) throw lease.lost;
    return result;
  } catch (error) {
    throw lease.lost ?? error;
  } finally {
    await lease.release();
  }
}
