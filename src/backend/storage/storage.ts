import type { Json } from '../../core/arch.js';
import type { EpochMetrics, FailureReason, Trial, TrialOutcome, TrialState } from '../../core/trial.js';
import type { DiagnosticEpoch, TrialDiagnostics } from '../../core/trial-diagnostics.js';

/** Where an experiment stands: searching, stopped by the user (resumable), done, or ended by an error. */
export type ExperimentStatus = 'running' | 'stopped' | 'finished' | 'failed';

/** Every {@link ExperimentStatus}, for validation and listings. */
export const EXPERIMENT_STATUSES: readonly ExperimentStatus[] = ['running', 'stopped', 'finished', 'failed'];

/** Every {@link TrialState}, in the order listings show them. */
export const TRIAL_STATES: readonly TrialState[] = ['RUNNING', 'COMPLETE', 'FAILED', 'PRUNED'];

/** One experiment: its name (unique in a file), resolved config, seed and status. Times in ms since 1970. */
export interface Experiment {
  readonly id: number;
  readonly name: string;
  readonly config: Json;
  readonly seed: number;
  readonly status: ExperimentStatus;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** An experiment with the number of its trials in each state (for `nas ls`). */
export interface ExperimentSummary extends Experiment {
  readonly trials: Readonly<Record<TrialState, number>>;
}

/** What a new experiment is made of. */
export interface NewExperiment {
  readonly name: string;
  readonly config: Json;
  readonly seed: number;
}

/** A trial as the driver dispatches it; it is stored RUNNING. */
export interface NewTrial {
  /** 0-based, unique within the experiment. */
  readonly number: number;
  readonly sample: Json;
  readonly key: string;
  readonly fidelity?: Readonly<Record<string, number>>;
  readonly worker?: string;
  /** The number of the interrupted trial this one re-runs. */
  readonly retryOf?: number;
  /** The number of the trial whose training state this one continues from (successive halving's promotion). */
  readonly continues?: number;
}

/**
 * How a trial ended. FAILED needs a reason and only FAILED takes one; COMPLETE needs an outcome.
 * An outcome's epochs replace the ones added while the trial ran.
 */
export interface TrialResult {
  readonly state: Exclude<TrialState, 'RUNNING'>;
  readonly reason?: FailureReason;
  readonly message?: string;
  readonly outcome?: TrialOutcome;
  /** The interval and flags of a trial finished without an outcome that measured diagnostics (an outcome carries its own). */
  readonly diagnostics?: TrialDiagnostics;
}

/** A strategy's saved state, taken after it was told the trial numbered `afterTrial`. */
export interface StrategySnapshot {
  readonly afterTrial: number;
  readonly state: Json;
  readonly savedAt: number;
}

/** An event to append to an experiment's log. */
export interface NewEvent {
  readonly type: string;
  readonly payload: Json;
}

/** An event as stored: ids grow in append order (use the last one seen to read only newer events). */
export interface StoredEvent extends NewEvent {
  readonly id: number;
  readonly at: number;
}

/** Who asks to drive an experiment: `host` is `os.hostname()`, `token` is random per driver. */
export interface LeaseClaimant {
  readonly host: string;
  readonly pid: number;
  readonly token: string;
}

/** The owner lease of an experiment: its driver since `startedAt`, alive as of `heartbeatAt` (docs/storage.md). */
export interface ExperimentLease extends LeaseClaimant {
  readonly startedAt: number;
  readonly heartbeatAt: number;
}

/** Why a lease held by another driver was free to take: its heartbeat is too old, or its process is gone. */
export type StaleReason = 'heartbeat-timeout' | 'owner-dead';

/** What {@link Storage.acquireLease} found: the lease is now the claimant's (perhaps taken over), or another driver holds it. */
export type LeaseClaim =
  | {
      readonly acquired: true;
      readonly lease: ExperimentLease;
      readonly takenOver?: { readonly previous: ExperimentLease; readonly why: StaleReason };
    }
  | { readonly acquired: false; readonly holder: ExperimentLease; readonly checkedAt: number };

/**
 * Everything a search records, behind one interface (Optuna's storages): a SQLite file
 * (`openSqliteStorage`) or memory (`MemoryStorage`); both pass one contract suite.
 * Numbers keep their value exactly, NaN and ±Infinity included. Calls run one at a time, in order.
 */
export interface Storage {
  /** Throws `StorageError` EXPERIMENT_EXISTS (a user error) when the name is taken. */
  createExperiment(input: NewExperiment): Promise<Experiment>;
  getExperiment(name: string): Promise<Experiment | undefined>;
  /** Every experiment, oldest first, with its trial counts per state. */
  listExperiments(): Promise<readonly ExperimentSummary[]>;
  setExperimentStatus(experimentId: number, status: ExperimentStatus): Promise<Experiment>;

  /** Stores a RUNNING trial; a number already used in the experiment is an error. */
  createTrial(experimentId: number, input: NewTrial): Promise<Trial>;
  getTrial(trialId: number): Promise<Trial | undefined>;
  /** Records one epoch of a RUNNING trial (progress); an epoch already recorded is an error. */
  addEpoch(trialId: number, metrics: EpochMetrics): Promise<void>;
  /** The epochs recorded for a trial, in epoch order (also for trials that failed without an outcome). */
  listEpochs(trialId: number): Promise<readonly EpochMetrics[]>;
  /** Records one epoch's diagnostics of a RUNNING trial (progress); an epoch already recorded is an error. */
  addDiagnostics(trialId: number, record: DiagnosticEpoch): Promise<void>;
  /**
   * A trial's diagnostics per epoch, in epoch order: those recorded while it ran (finishing it
   * keeps them; its record keeps only the interval and the flags).
   */
  listDiagnostics(trialId: number): Promise<readonly DiagnosticEpoch[]>;
  /** Ends a RUNNING trial; finishing a trial twice is an error. */
  finishTrial(trialId: number, result: TrialResult): Promise<Trial>;
  /** The experiment's trials ordered by number, optionally only those in one state. */
  listTrials(experimentId: number, filter?: { readonly state?: TrialState }): Promise<readonly Trial[]>;
  /** Marks the trials still RUNNING as FAILED 'interrupted' (their process died); returns them. */
  markInterrupted(experimentId: number): Promise<readonly Trial[]>;

  /** Replaces the experiment's saved strategy state (only the latest is kept). */
  saveStrategyState(experimentId: number, afterTrial: number, state: Json): Promise<void>;
  /** The snapshot saved last, if any. */
  latestStrategyState(experimentId: number): Promise<StrategySnapshot | undefined>;

  appendEvent(experimentId: number, event: NewEvent): Promise<StoredEvent>;
  /** Events in append order; `afterId` keeps only those appended after that event. */
  listEvents(
    experimentId: number,
    filter?: { readonly type?: string; readonly afterId?: number },
  ): Promise<readonly StoredEvent[]>;

  /**
   * Makes `claimant` the experiment's owner, atomically (also across processes sharing the file),
   * when no one holds the lease or its holder is stale: no heartbeat for `staleAfterMs`, or a holder
   * on the claimant's host whose pid is gone. Otherwise changes nothing and returns the holder.
   */
  acquireLease(
    experimentId: number,
    claimant: LeaseClaimant,
    options: { readonly staleAfterMs: number },
  ): Promise<LeaseClaim>;
  /** Stamps the heartbeat of the lease `token` holds; false when it holds none (released, or taken over). */
  renewLease(experimentId: number, token: string): Promise<boolean>;
  /** Gives the lease up if `token` holds it (returns whether it did); another holder's lease is left alone. */
  releaseLease(experimentId: number, token: string): Promise<boolean>;
  /** The experiment's lease, if anyone holds it (stale or not). */
  readLease(experimentId: number): Promise<ExperimentLease | undefined>;

  /** Waits for pending calls, then closes; later calls fail. Closing twice is harmless. */
  close(): Promise<void>;
}
