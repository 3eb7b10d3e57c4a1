import type { Json } from '../core/arch.js';
import type { RunEvent, TrialProgress } from '../core/events.js';
import { CUT_SHORT, type EpochMetrics, type Trial } from '../core/trial.js';
import type { Storage } from '../backend/storage/index.js';
import { isDiskRefusal, trialRefusal, type DiskRefusal } from '../backend/storage/disk-refusal.js';
import type { SearchSpace } from '../space/search-space.js';
import type { Strategy } from '../search/strategy.js';
import type { Evaluator, TrialTaskOutcome } from './evaluator.js';
import type { TrialTask } from './worker/trial-task.js';
import { outcomeToFinish, type FinishedAs } from './outcome.js';
import { prunedMessage, type PrunedAt, type TrialPruner } from './trial-pruner.js';

/** Everything one search needs; the driver owns none of it (the caller opens and closes). */
export interface DriverOptions<Task = TrialTask> {
  readonly experimentId: number;
  readonly storage: Storage;
  readonly evaluator: Evaluator<Task>;
  readonly space: SearchSpace;
  readonly strategy: Strategy;
  readonly budget: { readonly trials: number; readonly seconds?: number };
  readonly trialTimeoutMs?: number;
  /** The task payload of a trial (sample, data, training, seed). */
  readonly taskFor: (trial: Trial) => Task;
  readonly emit: (event: RunEvent) => void;
  /** Trials to run again first (interrupted trials of a resumed search): their sample, and the number they re-run. */
  readonly requeue?: readonly {
    readonly sample: Json;
    readonly retryOf: number;
    readonly fidelity?: Readonly<Record<string, number>>;
  }[];
  /** Trial ids the restored strategy has already been told about. */
  readonly told?: ReadonlySet<number>;
  /** The restored strategy's last proposal, whose trial was never recorded (the driver died in between): run first. */
  readonly unrecorded?: Proposal;
  /** Deletes saved models that keepModels does not keep (src/run/model-retention.ts), after each recorded trial and at the start. */
  readonly models?: { readonly prune: (trials: readonly Trial[]) => Promise<void> };
  /** Judges each running trial after every epoch; a trial it prunes is cancelled and recorded PRUNED. */
  readonly pruner?: TrialPruner;
}

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
  /** Per running trial, the chain of its epoch writes (kept in order, awaited before it finishes). */
  private readonly writes = new Map<number, Promise<void>>();
  /** Per running trial, the epochs it reported (what the pruner judges). */
  private readonly curves = new Map<number, EpochMetrics[]>();
  /** Running trials the pruner stopped, with where; their later epochs are not recorded. */
  private readonly pruned = new Map<number, PrunedAt>();
  /** Per running trial, the cancel of its task alone (a stop's cancel reaches every trial). */
  private readonly cancels = new Map<number, AbortController>();
  private readonly told: Set<number>;
  private readonly requeue: Proposal[];
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
      const next = this.unrecorded ?? this.requeue.shift() ?? this.ask();
      if (next === undefined) return;
      await this.dispatch(next.sample, next.retryOf, next.fidelity).catch((error: unknown) => this.refuse(error));
    }
  }

  private ask(): Proposal | undefined {
    const proposal = this.options.strategy.ask({ trials: [...this.trials.values()], running: this.inflight.size });
    if (proposal.kind === 'propose') {
      this.unrecorded = {
        sample: proposal.sample,
        number: this.nextNumber(),
        ...(proposal.fidelity === undefined ? {} : { fidelity: proposal.fidelity }),
      };
      return this.unrecorded;
    }
    if (proposal.kind === 'done') {
      this.strategyDone = proposal.why;
      this.options.emit({ type: 'strategy-done', t: Date.now(), why: proposal.why });
    }
    return undefined;
  }

  private async dispatch(sample: Json, retryOf?: number, fidelity?: Readonly<Record<string, number>>): Promise<void> {
    const number = this.nextNumber();
    const key = this.options.space.key(sample);
    await this.saveStrategy();
    const trial = await this.options.storage.createTrial(this.options.experimentId, {
      number,
      sample,
      key,
      ...(retryOf === undefined ? {} : { retryOf }),
      ...(fidelity === undefined ? {} : { fidelity }),
    });
    if (retryOf === undefined) this.unrecorded = undefined;
    this.trials.set(trial.id, trial);
    this.options.emit({ type: 'trial-started', t: Date.now(), trial });
    const cancel = new AbortController();
    this.cancels.set(trial.id, cancel);
    const running = this.options.evaluator
      .run(this.options.taskFor(trial), {
        signal: AbortSignal.any([this.controller.signal, cancel.signal]),
        onProgress: (progress) => this.progress(trial, progress),
        ...(this.options.trialTimeoutMs === undefined ? {} : { timeoutMs: this.options.trialTimeoutMs }),
      })
      .then((outcome) => this.finish(trial, outcome))
      .catch((error: unknown) => {
        this.inflight.delete(trial.id);
        this.refuse(error);
      });
    this.inflight.set(trial.id, running);
  }

  private progress(trial: Trial, progress: TrialProgress): void {
    if (this.pruned.has(trial.id)) return;
    if (progress.kind === 'epoch') {
      const previous = this.writes.get(trial.id) ?? Promise.resolve();
      this.writes.set(
        trial.id,
        previous
          .then(() => this.options.storage.addEpoch(trial.id, progress.metrics))
          .catch((error: unknown) => this.refuse(error)),
      );
      this.judge(trial, progress.metrics);
    }
    this.options.emit({ type: 'trial-progress', t: Date.now(), trialId: trial.id, number: trial.number, progress });
  }

  /** Asks the pruner about a trial's new epoch; a pruned trial's task is cancelled (the pool stops its worker). */
  private judge(trial: Trial, metrics: EpochMetrics): void {
    if (this.options.pruner === undefined) return;
    const curve = [...(this.curves.get(trial.id) ?? []), metrics];
    this.curves.set(trial.id, curve);
    const at = this.options.pruner.judge(curve, this.trials.values());
    if (at === undefined) return;
    this.pruned.set(trial.id, at);
    this.cancels.get(trial.id)?.abort();
  }

  private async finish(trial: Trial, outcome: TrialTaskOutcome): Promise<void> {
    const at = this.pruned.get(trial.id);
    // A pruned trial is PRUNED however its task ended (cancelled, or done before the cancel arrived): its record stops at the pruned epoch.
    const result: FinishedAs =
      at === undefined ? outcomeToFinish(outcome) : { state: 'PRUNED', message: prunedMessage(at) };
    await this.writes.get(trial.id);
    this.writes.delete(trial.id);
    this.curves.delete(trial.id);
    this.pruned.delete(trial.id);
    this.cancels.delete(trial.id);
    const finished = await this.options.storage.finishTrial(trial.id, result);
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
    };
    await this.options.storage.saveStrategyState(this.options.experimentId, this.trials.size, state);
  }
}

/** What the driver dispatches: a sample (at a fidelity), or a re-run of trial `retryOf`. */
export type Proposal = {
  readonly sample: Json;
  readonly retryOf?: number;
  readonly fidelity?: Readonly<Record<string, number>>;
};

/** The driver's saved state: the strategy's snapshot, the trials it was told about, the proposal not yet recorded. */
export type DriverSnapshot = {
  readonly strategy: Json;
  readonly told: readonly number[];
  readonly unrecorded?: Proposal & { readonly number: number };
};
