import type { TrialProgress } from '../core/events.js';
import { CUT_SHORT, type Trial } from '../core/trial.js';
import type { TrialDiagnostics } from '../core/trial-diagnostics.js';
import { isDiskRefusal, trialRefusal, type DiskRefusal } from '../backend/storage/disk-refusal.js';
import type { TrialTaskOutcome } from './evaluator.js';
import type { TrialTask } from './worker/trial-task.js';
import { outcomeToFinish, withDiagnostics, type FinishedAs } from './outcome.js';
import { prunedMessage, REPORT_EVENT, type PrunedAt, type Reported, type ReportPayload } from './trial-pruner.js';
import { lostOf, recordLostAttempt } from './queue/lost-attempts.js';
import type { DriverOptions, DriverSnapshot, Proposal } from './driver-options.js';

/** Trials that count against the budget: all finished ones except those the driver itself cut short. */
export function countsAgainstBudget(t: Trial): boolean {
  return t.state !== 'RUNNING' && !(t.state === 'FAILED' && t.reason !== undefined && CUT_SHORT.has(t.reason));
}

/**
 * The multi-trial loop (docs/architecture.md, *A multi-trial search, end to end*): ask the strategy
 * while workers are free and the budget is not spent; record each trial RUNNING before dispatch and
 * its result after; tell the strategy; snapshot its state at every ask (before the record, with the
 * proposal) and after every tell, so a resumed search continues exactly.
 */
export class Driver<Task = TrialTask> {
  private readonly trials = new Map<number, Trial>();
  private readonly inflight = new Map<number, Promise<void>>();
  /** Per running trial, the chain of its progress writes, epochs and diagnostics (kept in order, awaited before it finishes). */
  private readonly writes = new Map<number, Promise<void>>();
  /** Per running trial that reports diagnostics, their interval and the flags raised so far (the record of a trial without an outcome keeps them). */
  private readonly diagnosed = new Map<number, TrialDiagnostics>();
  /** Per running trial, the epochs or step reports it reported (what the pruner judges). */
  private readonly curves = new Map<number, Reported[]>();
  /** Running trials the pruner stopped, with where; their later epochs are not recorded. */
  private readonly pruned = new Map<number, PrunedAt>();
  /** Per running trial, the cancel of its task alone (a stop's cancel reaches every trial). */
  private readonly cancels = new Map<number, AbortController>();
  private readonly told: Set<number>;
  private readonly requeue: Proposal[];
  /** How many of the enqueued samples were taken (saved with the strategy, so a resume takes none twice). */
  private enqueued: number;
  /**
   * The strategy's last proposal, with the number its trial gets, until that trial is recorded.
   * Snapshots carry it and are saved before the record, so a resume runs it whether or not the
   * driver died in between: the restored strategy has already made it.
   */
  private unrecorded: (Proposal & { readonly number: number }) | undefined;
  private readonly controller = new AbortController();
  private stopping: string | undefined;
  private strategyDone: string | undefined;
  /** The first write the disk refused (full, read-only): the search stops on it and {@link run} throws it. */
  private refused: DiskRefusal | undefined;
  private started = 0;

  constructor(
    private readonly options: DriverOptions<Task>,
    history: readonly Trial[],
  ) {
    for (const t of history) this.trials.set(t.id, t);
    this.told = new Set(options.told);
    this.requeue = [...(options.requeue ?? [])];
    this.enqueued = options.enqueued ?? 0;
    if (options.unrecorded !== undefined) this.unrecorded = { ...options.unrecorded, number: this.nextNumber() };
  }

  /** Asks for a graceful stop: no new trials; running ones finish. A second call cancels them. */
  stop(why: string): void {
    if (this.stopping !== undefined) this.controller.abort();
    this.stopping ??= why;
    this.options.emit({ type: 'stopping', t: Date.now(), why });
  }

  /** Runs until the budget is spent, the strategy is done, or a stop; returns how it ended. A write the disk refused stops it and is thrown. */
  async run(): Promise<'finished' | 'stopped'> {
    this.started = Date.now();
    await this.tellUntold();
    await this.options.models?.prune([...this.trials.values()]);
    for (const trial of this.options.attached ?? []) this.launch(trial);
    for (;;) {
      await this.fill();
      if (this.inflight.size === 0) break;
      await Promise.race(this.inflight.values());
    }
    if (this.refused !== undefined) throw this.refused;
    return this.stopping !== undefined && !this.budgetSpent() && this.strategyDone === undefined
      ? 'stopped'
      : 'finished';
  }

  private counted(): number {
    return [...this.trials.values()].filter(countsAgainstBudget).length;
  }

  private budgetSpent(): boolean {
    const overTime =
      this.options.budget.seconds !== undefined && Date.now() - this.started >= this.options.budget.seconds * 1000;
    return overTime || this.counted() + this.inflight.size >= this.options.budget.trials;
  }

  private async fill(): Promise<void> {
    while (
      this.inflight.size < this.options.evaluator.concurrency &&
      this.stopping === undefined &&
      this.strategyDone === undefined &&
      !this.budgetSpent()
    ) {
      const next = this.unrecorded ?? this.requeue.shift() ?? this.takeEnqueued() ?? this.ask();
      if (next === undefined) return;
      await this.dispatch(next).catch((error: unknown) => this.refuse(error));
    }
  }

  /** The next enqueued sample, made the unrecorded proposal like an asked one (the snapshot at its dispatch holds both). */
  private takeEnqueued(): Proposal | undefined {
    const sample = this.options.enqueue?.[this.enqueued];
    if (sample === undefined) return undefined;
    this.enqueued++;
    this.unrecorded = { sample, number: this.nextNumber() };
    return this.unrecorded;
  }

  private ask(): Proposal | undefined {
    const trials = [...(this.options.earlierTrials ?? []), ...this.trials.values()];
    const proposal = this.options.strategy.ask({ trials, running: this.inflight.size });
    if (proposal.kind === 'propose') {
      this.unrecorded = {
        sample: proposal.sample,
        number: this.nextNumber(),
        ...(proposal.fidelity === undefined ? {} : { fidelity: proposal.fidelity }),
        ...(proposal.continues === undefined ? {} : { continues: proposal.continues }),
      };
      return this.unrecorded;
    }
    if (proposal.kind === 'done') {
      this.strategyDone = proposal.why;
      this.options.emit({ type: 'strategy-done', t: Date.now(), why: proposal.why });
    }
    return undefined;
  }

  private async dispatch({ sample, retryOf, fidelity, continues }: Proposal): Promise<void> {
    const number = this.nextNumber();
    const key = this.options.space.key(sample);
    await this.saveStrategy();
    const trial = await this.options.storage.createTrial(this.options.experimentId, {
      number,
      sample,
      key,
      ...(retryOf === undefined ? {} : { retryOf }),
      ...(fidelity === undefined ? {} : { fidelity }),
      ...(continues === undefined ? {} : { continues }),
    });
    if (retryOf === undefined) this.unrecorded = undefined;
    this.trials.set(trial.id, trial);
    this.launch(trial);
  }

  /** Runs a recorded RUNNING trial's task; its result is recorded by {@link finish}. */
  private launch(trial: Trial): void {
    this.options.emit({ type: 'trial-started', t: Date.now(), trial });
    const cancel = new AbortController();
    this.cancels.set(trial.id, cancel);
    const reused = this.options.reuse?.(trial);
    const evaluated =
      reused === undefined
        ? this.options.evaluator.run(this.options.taskFor(trial), {
            signal: AbortSignal.any([this.controller.signal, cancel.signal]),
            onProgress: (progress) => this.progress(trial, progress),
            ...(this.options.trialTimeoutMs === undefined ? {} : { timeoutMs: this.options.trialTimeoutMs }),
          })
        : Promise.resolve<TrialTaskOutcome>({ ok: true, value: reused.outcome });
    const running = evaluated
      .then((outcome) => this.finish(trial, outcome, reused?.message))
      .catch((error: unknown) => {
        this.inflight.delete(trial.id);
        this.refuse(error);
      });
    this.inflight.set(trial.id, running);
  }

  private progress(trial: Trial, progress: TrialProgress): void {
    if (this.pruned.has(trial.id)) return;
    if (progress.kind === 'epoch') {
      this.write(trial, () => this.options.storage.addEpoch(trial.id, progress.metrics));
      if (this.options.pruner?.judgesReports === false) this.judge(trial, progress.metrics, progress.of);
    }
    if (progress.kind === 'report') {
      const payload: ReportPayload = { trialId: trial.id, report: progress.report };
      const event = { type: REPORT_EVENT, payload };
      this.write(trial, async () => void (await this.options.storage.appendEvent(this.options.experimentId, event)));
      if (this.options.pruner?.judgesReports === true) this.judge(trial, progress.report, progress.report.of);
    }
    if (progress.kind === 'diagnostics') {
      this.write(trial, () => this.options.storage.addDiagnostics(trial.id, progress.record));
      const flags = [...(this.diagnosed.get(trial.id)?.flags ?? []), ...progress.record.flags];
      this.diagnosed.set(trial.id, { every: progress.every, flags });
    }
    const lost = lostOf(progress);
    if (lost !== undefined) {
      const attempt = { trialId: trial.id, number: trial.number, ...lost };
      this.write(trial, () => recordLostAttempt(this.options.storage, this.options.experimentId, attempt));
    }
    const pruned = this.pruned.get(trial.id);
    this.options.emit({
      type: 'trial-progress',
      t: Date.now(),
      trialId: trial.id,
      number: trial.number,
      progress,
      ...(pruned === undefined ? {} : { pruned }),
    });
  }

  /** Chains a write of a running trial's progress after its earlier ones (they stay in order; finish awaits them). */
  private write(trial: Trial, write: () => Promise<void>): void {
    const previous = this.writes.get(trial.id) ?? Promise.resolve();
    this.writes.set(
      trial.id,
      previous.then(write).catch((error: unknown) => this.refuse(error)),
    );
  }

  /** Asks the pruner about a trial's new epoch or report; a pruned trial's task is cancelled (the pool stops its worker). */
  private judge(trial: Trial, metrics: Reported, of: number | undefined): void {
    if (this.options.pruner === undefined) return;
    const curve = [...(this.curves.get(trial.id) ?? []), metrics];
    this.curves.set(trial.id, curve);
    const at = this.options.pruner.judge(trial, curve, this.trials.values(), of);
    if (at === undefined) return;
    this.pruned.set(trial.id, at);
    this.cancels.get(trial.id)?.abort();
  }

  private async finish(trial: Trial, outcome: TrialTaskOutcome, reusedFrom?: string): Promise<void> {
    const at = this.pruned.get(trial.id);
    // A pruned trial is PRUNED however its task ended (cancelled, or done before the cancel arrived): its record stops at the pruned epoch.
    const finishedAs: FinishedAs =
      at !== undefined
        ? { state: 'PRUNED', message: prunedMessage(at) }
        : reusedFrom === undefined
          ? outcomeToFinish(outcome)
          : { ...outcomeToFinish(outcome), message: reusedFrom };
    const result = withDiagnostics(finishedAs, this.diagnosed.get(trial.id));
    await this.writes.get(trial.id);
    this.writes.delete(trial.id);
    this.diagnosed.delete(trial.id);
    this.curves.delete(trial.id);
    this.pruned.delete(trial.id);
    this.cancels.delete(trial.id);
    const finished = await this.options.storage.finishTrial(trial.id, result);
    await this.options.evaluator.recorded?.(trial.id);
    this.trials.set(trial.id, finished);
    this.options.strategy.tell(finished);
    this.told.add(trial.id);
    await this.saveStrategy();
    await this.options.models?.prune([...this.trials.values()]);
    this.inflight.delete(trial.id);
    this.options.emit({ type: 'trial-finished', t: Date.now(), trial: finished });
    const refusal = outcome.ok || at !== undefined ? undefined : trialRefusal(finished.reason, outcome.error.message);
    if (refusal !== undefined) this.refuse(refusal);
  }

  /**
   * A write the disk refused (the storage file's, or a trial's model): stop at once, cancelling the
   * running trials, whose results could not be stored either; anything else is rethrown.
   */
  private refuse(error: unknown): void {
    if (!isDiskRefusal(error)) throw error;
    if (this.refused !== undefined) return;
    this.refused = error;
    this.stop(error.message);
    if (!this.controller.signal.aborted) this.stop(error.message); // the second stop cancels, and reporters say so
  }

  private async tellUntold(): Promise<void> {
    const untold = [...this.trials.values()].filter((t) => t.state !== 'RUNNING' && !this.told.has(t.id));
    for (const t of untold.sort((a, b) => (a.finishedAt ?? 0) - (b.finishedAt ?? 0))) {
      this.options.strategy.tell(t);
      this.told.add(t.id);
    }
    if (untold.length > 0) await this.saveStrategy();
  }

  private nextNumber(): number {
    return Math.max(-1, ...[...this.trials.values()].map((t) => t.number)) + 1;
  }

  private async saveStrategy(): Promise<void> {
    const state: DriverSnapshot = {
      strategy: this.options.strategy.snapshot(),
      told: [...this.told],
      ...(this.unrecorded === undefined ? {} : { unrecorded: this.unrecorded }),
      ...(this.enqueued === 0 ? {} : { enqueued: this.enqueued }),
    };
    await this.options.storage.saveStrategyState(this.options.experimentId, this.trials.size, state);
  }
}
