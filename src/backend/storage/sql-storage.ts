import type { Json } from '../../core/arch.js';
import type { EpochMetrics, Trial, TrialState } from '../../core/trial.js';
import type { DiagnosticEpoch } from '../../core/trial-diagnostics.js';
import { StorageMisuseError } from './errors.js';
import { insertDiagnostics, readDiagnostics } from './sql-diagnostics.js';
import { claimLease, readLeaseRow, releaseLeaseRow, renewLeaseRow } from './sql-leases.js';
import {
  insertEvent,
  insertExperiment,
  insertSnapshot,
  readEvents,
  readExperiment,
  readExperiments,
  readLatestSnapshot,
  updateStatus,
} from './sql-logs.js';
import type { SqlSession } from './sql-session.js';
import {
  finishTrialRow,
  insertEpoch,
  insertTrial,
  interruptTrials,
  readEpochs,
  readTrial,
  readTrials,
} from './sql-trials.js';
import type {
  Experiment,
  ExperimentLease,
  ExperimentStatus,
  ExperimentSummary,
  LeaseClaim,
  LeaseClaimant,
  NewEvent,
  NewExperiment,
  NewTrial,
  Storage,
  StoredEvent,
  StrategySnapshot,
  TrialResult,
} from './storage.js';

/**
 * A database the {@link SqlStorage} runs its calls on: the SQLite file (sqlite-db.ts) or a PostgreSQL
 * database (postgres-db.ts).
 */
export interface SqlDatabase {
  /** How messages name it: the file's path, or the URL without its password. */
  readonly where: string;
  /** Runs `operation` after every operation queued before it has settled (calls never interleave). */
  serial<T>(operation: () => Promise<T>): Promise<T>;
  /** Runs a call that only reads. */
  read<T>(body: (s: SqlSession) => Promise<T>): Promise<T>;
  /**
   * Runs a call that writes: in PostgreSQL one transaction (retried when its connection is lost); in
   * SQLite as it is (one statement commits by itself; a call of several opens `s.transaction`).
   */
  write<T>(body: (s: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * The {@link Storage} in a SQL database, SQLite's or PostgreSQL's (made by `openSqliteStorage` and
 * `openPostgresStorage`): every call is one operation of sql-trials.ts, sql-logs.ts,
 * sql-diagnostics.ts or sql-leases.ts, written once for both.
 */
export class SqlStorage implements Storage {
  private closed = false;

  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => number,
  ) {}

  createExperiment(input: NewExperiment): Promise<Experiment> {
    return this.write((s) => insertExperiment(s, input, this.now(), this.db.where));
  }

  getExperiment(name: string): Promise<Experiment | undefined> {
    return this.read((s) => readExperiment(s, name));
  }

  listExperiments(): Promise<readonly ExperimentSummary[]> {
    return this.read((s) => readExperiments(s));
  }

  setExperimentStatus(experimentId: number, status: ExperimentStatus): Promise<Experiment> {
    return this.write((s) => updateStatus(s, experimentId, status, this.now()));
  }

  createTrial(experimentId: number, input: NewTrial): Promise<Trial> {
    return this.write((s) => insertTrial(s, experimentId, input, this.now()));
  }

  getTrial(trialId: number): Promise<Trial | undefined> {
    return this.read((s) => readTrial(s, trialId));
  }

  addEpoch(trialId: number, metrics: EpochMetrics): Promise<void> {
    return this.write((s) => insertEpoch(s, trialId, metrics));
  }

  listEpochs(trialId: number): Promise<readonly EpochMetrics[]> {
    return this.read((s) => readEpochs(s, trialId));
  }

  addDiagnostics(trialId: number, record: DiagnosticEpoch): Promise<void> {
    return this.write((s) => insertDiagnostics(s, trialId, record));
  }

  listDiagnostics(trialId: number): Promise<readonly DiagnosticEpoch[]> {
    return this.read((s) => readDiagnostics(s, trialId));
  }

  finishTrial(trialId: number, result: TrialResult): Promise<Trial> {
    return this.write((s) => finishTrialRow(s, trialId, result, this.now()));
  }

  listTrials(experimentId: number, filter: { readonly state?: TrialState } = {}): Promise<readonly Trial[]> {
    return this.read((s) => readTrials(s, experimentId, filter.state));
  }

  markInterrupted(experimentId: number): Promise<readonly Trial[]> {
    return this.write((s) => interruptTrials(s, experimentId, this.now()));
  }

  saveStrategyState(experimentId: number, afterTrial: number, state: Json): Promise<void> {
    return this.write((s) => insertSnapshot(s, experimentId, afterTrial, state, this.now()));
  }

  latestStrategyState(experimentId: number): Promise<StrategySnapshot | undefined> {
    return this.read((s) => readLatestSnapshot(s, experimentId));
  }

  appendEvent(experimentId: number, event: NewEvent): Promise<StoredEvent> {
    return this.write((s) => insertEvent(s, experimentId, event, this.now()));
  }

  listEvents(
    experimentId: number,
    filter: { readonly type?: string; readonly afterId?: number } = {},
  ): Promise<readonly StoredEvent[]> {
    return this.read((s) => readEvents(s, experimentId, filter));
  }

  acquireLease(
    experimentId: number,
    claimant: LeaseClaimant,
    options: { readonly staleAfterMs: number },
  ): Promise<LeaseClaim> {
    return this.write((s) => claimLease(s, experimentId, claimant, options.staleAfterMs, this.now));
  }

  renewLease(experimentId: number, token: string): Promise<boolean> {
    return this.write((s) => renewLeaseRow(s, experimentId, token, this.now()));
  }

  releaseLease(experimentId: number, token: string): Promise<boolean> {
    return this.write((s) => releaseLeaseRow(s, experimentId, token));
  }

  readLease(experimentId: number): Promise<ExperimentLease | undefined> {
    return this.read((s) => readLeaseRow(s, experimentId));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.serial(() => this.db.close());
  }

  private read<T>(body: (s: SqlSession) => Promise<T>): Promise<T> {
    return this.op(() => this.db.read(body));
  }

  private write<T>(body: (s: SqlSession) => Promise<T>): Promise<T> {
    return this.op(() => this.db.write(body));
  }

  private op<T>(operation: () => Promise<T>): Promise<T> {
    if (this.closed)
      return Promise.reject(new StorageMisuseError('CLOSED', `the storage of ${this.db.where} is closed`));
    return this.db.serial(operation);
  }
}
