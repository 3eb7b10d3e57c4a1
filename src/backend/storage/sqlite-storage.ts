import type { Json } from '../../core/arch.js';
import type { EpochMetrics, Trial, TrialState } from '../../core/trial.js';
import type { DiagnosticEpoch } from '../../core/trial-diagnostics.js';
import { StorageMisuseError } from './errors.js';
import { NonFiniteReader, NonFiniteWriter } from './nonfinite.js';
import { checkNewExperiment, checkStatus, emptyCounts, experimentExists, unknownExperiment } from './rules.js';
import { sqliteCode, type Db } from './sqlite-db.js';
import { claimLease, readLeaseRow, releaseLeaseRow, renewLeaseRow } from './sqlite-leases.js';
import { insertDiagnostics, readDiagnostics } from './sqlite-diagnostics.js';
import {
  finishTrialRow,
  insertEpoch,
  insertTrial,
  interruptTrials,
  readEpochs,
  readTrial,
  readTrials,
} from './sqlite-trials.js';
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

/** A row of `experiments` (the PostgreSQL storage reads the same). */
export interface ExperimentRow {
  readonly id: number;
  readonly name: string;
  readonly config: string;
  readonly seed: number;
  readonly status: ExperimentStatus;
  readonly created_at: number;
  readonly updated_at: number;
  readonly nonfinite: string | null;
}

/** The {@link Storage} over one open SQLite connection (made by `openSqliteStorage`). */
export class SqliteStorage implements Storage {
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  createExperiment(input: NewExperiment): Promise<Experiment> {
    return this.op(async () => {
      checkNewExperiment(input);
      const w = new NonFiniteWriter();
      const t = this.now();
      try {
        const params = [input.name, w.json('config', input.config), input.seed, t, t, w.column()];
        const { lastID } = await this.db.run(
          "INSERT INTO experiments (name, config, seed, status, created_at, updated_at, nonfinite) VALUES (?, ?, ?, 'running', ?, ?, ?)",
          params,
        );
        return this.experiment(lastID);
      } catch (error) {
        if (sqliteCode(error) === 'SQLITE_CONSTRAINT') throw experimentExists(input.name, this.db.path);
        throw error;
      }
    });
  }

  getExperiment(name: string): Promise<Experiment | undefined> {
    return this.op(async () => {
      const row = await this.db.get<ExperimentRow>('SELECT * FROM experiments WHERE name = ?', [name]);
      return row === undefined ? undefined : experimentFromRow(row);
    });
  }

  listExperiments(): Promise<readonly ExperimentSummary[]> {
    return this.op(async () => {
      const rows = await this.db.all<ExperimentRow>('SELECT * FROM experiments ORDER BY id');
      const counts = await this.db.all<{ experiment_id: number; state: TrialState; n: number }>(
        'SELECT experiment_id, state, count(*) AS n FROM trials GROUP BY experiment_id, state',
      );
      return rows.map((row) => {
        const trials = emptyCounts();
        for (const c of counts) if (c.experiment_id === row.id) trials[c.state] = c.n;
        return { ...experimentFromRow(row), trials };
      });
    });
  }

  setExperimentStatus(experimentId: number, status: ExperimentStatus): Promise<Experiment> {
    return this.op(async () => {
      checkStatus(status);
      const { changes } = await this.db.run('UPDATE experiments SET status = ?, updated_at = ? WHERE id = ?', [
        status,
        this.now(),
        experimentId,
      ]);
      if (changes === 0) throw unknownExperiment(experimentId);
      return this.experiment(experimentId);
    });
  }

  createTrial(experimentId: number, input: NewTrial): Promise<Trial> {
    return this.op(() => insertTrial(this.db, experimentId, input, this.now()));
  }

  getTrial(trialId: number): Promise<Trial | undefined> {
    return this.op(() => readTrial(this.db, trialId));
  }

  addEpoch(trialId: number, metrics: EpochMetrics): Promise<void> {
    return this.op(() => insertEpoch(this.db, trialId, metrics));
  }

  listEpochs(trialId: number): Promise<readonly EpochMetrics[]> {
    return this.op(() => readEpochs(this.db, trialId));
  }

  addDiagnostics(trialId: number, record: DiagnosticEpoch): Promise<void> {
    return this.op(() => insertDiagnostics(this.db, trialId, record));
  }

  listDiagnostics(trialId: number): Promise<readonly DiagnosticEpoch[]> {
    return this.op(() => readDiagnostics(this.db, trialId));
  }

  finishTrial(trialId: number, result: TrialResult): Promise<Trial> {
    return this.op(() => finishTrialRow(this.db, trialId, result, this.now()));
  }

  listTrials(experimentId: number, filter: { readonly state?: TrialState } = {}): Promise<readonly Trial[]> {
    return this.op(() => readTrials(this.db, experimentId, filter.state));
  }

  markInterrupted(experimentId: number): Promise<readonly Trial[]> {
    return this.op(() => interruptTrials(this.db, experimentId, this.now()));
  }

  saveStrategyState(experimentId: number, afterTrial: number, state: Json): Promise<void> {
    return this.op(async () => {
      const w = new NonFiniteWriter();
      const params = [experimentId, afterTrial, w.json('state', state), this.now(), w.column()];
      const id = await this.insert(
        'INSERT INTO strategy_states (experiment_id, after_trial, state, saved_at, nonfinite) VALUES (?, ?, ?, ?, ?)',
        params,
        experimentId,
      );
      // Only the latest is ever read: a REINFORCE controller's state is ~400 KB, saved after every ask and tell.
      await this.db.run('DELETE FROM strategy_states WHERE experiment_id = ? AND id < ?', [experimentId, id]);
    });
  }

  latestStrategyState(experimentId: number): Promise<StrategySnapshot | undefined> {
    return this.op(async () => {
      const row = await this.db.get<{ after_trial: number; state: string; saved_at: number; nonfinite: string | null }>(
        'SELECT after_trial, state, saved_at, nonfinite FROM strategy_states WHERE experiment_id = ? ORDER BY id DESC LIMIT 1',
        [experimentId],
      );
      if (row === undefined) return undefined;
      return {
        afterTrial: row.after_trial,
        state: new NonFiniteReader(row.nonfinite).json<Json>('state', row.state),
        savedAt: row.saved_at,
      };
    });
  }

  appendEvent(experimentId: number, event: NewEvent): Promise<StoredEvent> {
    return this.op(async () => {
      const w = new NonFiniteWriter();
      const at = this.now();
      const params = [experimentId, event.type, w.json('payload', event.payload), at, w.column()];
      const id = await this.insert(
        'INSERT INTO events (experiment_id, type, payload, at, nonfinite) VALUES (?, ?, ?, ?, ?)',
        params,
        experimentId,
      );
      return { id, type: event.type, payload: structuredClone(event.payload), at };
    });
  }

  listEvents(
    experimentId: number,
    filter: { readonly type?: string; readonly afterId?: number } = {},
  ): Promise<readonly StoredEvent[]> {
    return this.op(async () => {
      const rows = await this.db.all<{
        id: number;
        type: string;
        payload: string;
        at: number;
        nonfinite: string | null;
      }>(
        'SELECT id, type, payload, at, nonfinite FROM events WHERE experiment_id = ? AND (? IS NULL OR type = ?) AND id > ? ORDER BY id',
        [experimentId, filter.type ?? null, filter.type ?? null, filter.afterId ?? 0],
      );
      return rows.map((r) => ({
        id: r.id,
        type: r.type,
        payload: new NonFiniteReader(r.nonfinite).json<Json>('payload', r.payload),
        at: r.at,
      }));
    });
  }

  acquireLease(
    experimentId: number,
    claimant: LeaseClaimant,
    options: { readonly staleAfterMs: number },
  ): Promise<LeaseClaim> {
    return this.op(() => claimLease(this.db, experimentId, claimant, options.staleAfterMs, this.now));
  }

  renewLease(experimentId: number, token: string): Promise<boolean> {
    return this.op(() => renewLeaseRow(this.db, experimentId, token, this.now()));
  }

  releaseLease(experimentId: number, token: string): Promise<boolean> {
    return this.op(() => releaseLeaseRow(this.db, experimentId, token));
  }

  readLease(experimentId: number): Promise<ExperimentLease | undefined> {
    return this.op(() => readLeaseRow(this.db, experimentId));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.serial(() => this.db.close());
  }

  private op<T>(operation: () => Promise<T>): Promise<T> {
    if (this.closed)
      return Promise.reject(new StorageMisuseError('CLOSED', `the storage of ${this.db.path} is closed`));
    return this.db.serial(operation).catch((error: unknown) => {
      if (sqliteCode(error) === 'SQLITE_READONLY')
        throw new StorageMisuseError('READONLY', `${this.db.path} is open read-only`, { cause: error });
      throw error;
    });
  }

  private async insert(sql: string, params: readonly unknown[], experimentId: number): Promise<number> {
    try {
      return (await this.db.run(sql, params)).lastID;
    } catch (error) {
      if (sqliteCode(error) === 'SQLITE_CONSTRAINT') throw unknownExperiment(experimentId);
      throw error;
    }
  }

  private async experiment(id: number): Promise<Experiment> {
    const row = await this.db.get<ExperimentRow>('SELECT * FROM experiments WHERE id = ?', [id]);
    if (row === undefined) throw unknownExperiment(id);
    return experimentFromRow(row);
  }
}

/** An experiments row as an {@link Experiment}. */
export function experimentFromRow(row: ExperimentRow): Experiment {
  const config = new NonFiniteReader(row.nonfinite).json<Json>('config', row.config);
  return {
    id: row.id,
    name: row.name,
    config,
    seed: row.seed,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
