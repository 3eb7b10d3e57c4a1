// What a driver is given (DriverOptions) and what it saves (DriverSnapshot), apart from the loop itself (driver.ts).
import type { Json } from '../core/arch.js';
import type { RunEvent } from '../core/events.js';
import type { Trial } from '../core/trial.js';
import type { Storage } from '../backend/storage/index.js';
import type { SearchSpace } from '../space/search-space.js';
import type { Strategy } from '../search/strategy.js';
import type { Evaluator } from './evaluator.js';
import type { TrialTask } from './worker/trial-task.js';
import type { TrialPruner } from './trial-pruner.js';
import type { Reused } from './warm-start.js';

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
    readonly continues?: number;
  }[];
  /** Trial ids the restored strategy has already been told about. */
  readonly told?: ReadonlySet<number>;
  /** Samples to evaluate before the strategy asks (src/run/enqueue.ts); `enqueued` of them were dispatched already (a resume). */
  readonly enqueue?: readonly Json[];
  readonly enqueued?: number;
  /** The restored strategy's last proposal, whose trial was never recorded (the driver died in between): run first. */
  readonly unrecorded?: Proposal;
  /** Deletes saved models that keepModels does not keep (src/run/model-retention.ts), after each recorded trial and at the start. */
  readonly models?: { readonly prune: (trials: readonly Trial[]) => Promise<void> };
  /** Judges each running trial after every epoch; a trial it prunes is cancelled and recorded PRUNED. */
  readonly pruner?: TrialPruner;
  /** Trials left RUNNING whose tasks still run elsewhere (a resumed search's queued trials): waited for first. */
  readonly attached?: readonly Trial[];
  /** Earlier experiments' trials (warmStart, src/run/warm-start.ts): in the history every ask reads, never counted or recorded here. */
  readonly earlierTrials?: readonly Trial[];
  /** A trial's answer from storage (warmStart 'reuse-results'): recorded COMPLETE with its message instead of evaluated. */
  readonly reuse?: (trial: Trial) => Reused | undefined;
}

/** What the driver dispatches: a sample (at a fidelity, continuing trial `continues`), or a re-run of trial `retryOf`. */
export type Proposal = {
  readonly sample: Json;
  readonly retryOf?: number;
  readonly fidelity?: Readonly<Record<string, number>>;
  readonly continues?: number;
};

/** The driver's saved state: the strategy's snapshot, the trials it was told about, the proposal not yet recorded. */
export type DriverSnapshot = {
  readonly strategy: Json;
  readonly told: readonly number[];
  readonly unrecorded?: Proposal & { readonly number: number };
  /** How many of the config's enqueued samples were taken (absent: none). */
  readonly enqueued?: number;
};
