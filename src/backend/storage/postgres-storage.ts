import type { Json } from '../../core/arch.js';
import type { EpochMetrics, Trial, TrialState } from '../../core/trial.js';
import type { DiagnosticEpoch } from '../../core/trial-diagnostics.js';
import { StorageMisuseError } from './errors.js';
import { NonFiniteReader, NonFiniteWriter } from './nonfinite.js';
import type { PgDb, Sql } from './postgres-db.js';
import { insertDiagnostics, readDiagnostics } from './postgres-diagnostics.js';
import { pgCode } from './postgres-errors.js';
import { claimLease, readLeaseRow, releaseLeaseRow, renewLeaseRow } from './postgres-leases.js';
import {
  finishTrialRow,
  insertEpoch,
  insertTrial,
  interruptTrials,
  readEpochs,
  readTrial,
  readTrials,
} from './postgres-trials.js';
import { checkNewExperiment, checkStatus, emptyCounts, experimentExists, unknownExperiment } from './rules.js';
import { experimentFromRow, type ExperimentRow } from './sqlite-storage.js';
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

// Inserts nothing for a name already taken, so that no id is spent on it (a sequence never gives one back).
const INSERT_EXPERIMENT = `INSERT INTO experiments (name, config, seed, status, created_at, updated_at, nonfinite)
  SELECT $1::text, $2::json, $3::bigint, 'running', $4::bigint, $4::bigint, $5::json WHERE NOT EXISTS (SELECT 1 FROM experiments WHERE name = $1)
  ON CONFLICT (name) DO NOTHING RETURNING *`;

/**
 * The {@link Storage} in a PostgreSQL database (made by `openPostgresStorage`): the SQLite storage's
 * rows, rules and errors; every write is one transaction, and calls lost with the connection are
 * retried (postgres-db.ts).
 */
export class PostgresStorage implements Storage {
  private closed = false;

  constructor(
    private readonly db: PgDb,
    private readonly now: () => number,
  ) {}

  createExperiment(input: NewExperiment): Promise<Experiment> {
    return this.write(async (sql) => {
      checkNewExperiment(input);
      const w = new NonFiniteWriter();
      const config = w.json('config', input.config);
      const row = await sql.get<ExperimentRow>(INSERT_EXPERIMENT, [
        input.name,
        config,
        input.seed,
        this.now(),
        w.column(),
      ]);
      if (row === undefined) throw experimentExists(input.name, this.db.place.where);
      return experimentFromRow(row);
    });
  }

  getExperiment(name: string): Promise<Experiment | undefined> {
    return this.read(async (sql) => {
      const row = await sql.get<ExperimentRow>('SELECT * FROM experiments WHERE name = $1', [name]);
      return row === undefined ? undefined : experimentFromRow(row);
    });
  }

  listExperiments(): Promise<readonly ExperimentSummary[]> {
    return this.read(async (sql) => {
      const rows = await sql.all<ExperimentRow>('SELECT * FROM experiments ORDER BY id');
      const counts = await sql.all<{ experiment_id: number; state: TrialState; n: number }>(
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
    return this.write(async (sql) => {
      checkStatus(status);
      const row = await sql.get<ExperimentRow>(
        'UPDATE experiments SET status = $1, updated_at = $2 WHERE id = $3 RETURNING *',
        [status, this.now(), experimentId],
      );
      if (row === undefined) throw unknownExperiment(experimentId);
      return experimentFromRow(row);
    });
  }

  createTrial(experimentId: number, input: NewTrial): Promise<Trial> {
    return this.write((sql) => insertTrial(sql, experimentId, input, this.now()));
  }

  getTrial(trialId: number): Promise<Trial | undefined> {
    return this.read((sql) => readTrial(sql, trialId));
  }

  addEpoch(trialId: number, metrics: EpochMetrics): Promise<void> {
    return this.write((sql) => insertEpoch(sql, trialId, metrics));
  }

  listEpochs(trialId: number): Promise<readonly EpochMetrics[]> {
    return this.read((sql) => readEpochs(sql, trialId));
  }

  addDiagnostics(trialId: number, record: DiagnosticEpoch): Promise<void> {
    return this.write((sql) => insertDiagnostics(sql, trialId, record));
  }

  listDiagnostics(trialId: number): Promise<readonly DiagnosticEpoch[]> {
    return this.read((sql) => readDiagnostics(sql, trialId));
  }

  finishTrial(trialId: number, result: TrialResult): Promise<Trial> {
    return this.write((sql) => finishTrialRow(sql, trialId, result, this.now()));
  }

  listTrials(experimentId: number, filter: { readonly state?: TrialState } = {}): Promise<readonly Trial[]> {
    return this.read((sql) => readTrials(sql, experimentId, filter.state));
  }

  markInterrupted(experimentId: number): Promise<readonly Trial[]> {
    return this.write((sql) => interruptTrials(sql, experimentId, this.now()));
  }

  saveStrategyState(experimentId: number, afterTrial: number, state: Json): Promise<void> {
    return this.write(async (sql) => {
      const w = new NonFiniteWriter();
      const params = [experimentId, afterTrial, w.json('state', state), this.now(), w.column()];
      const id = await this.insert(
        sql,
        'INSERT INTO strategy_states (experiment_id, after_trial, state, saved_at, nonfinite) VALUES ($1, $2, $3, $4, $5) RETURNING id',
        params,
        experimentId,
      );
      // Only the latest is ever read: a REINFORCE controller's state is ~400 KB, saved after every ask and tell.
      await sql.run('DELETE FROM strategy_states WHERE experiment_id = $1 AND id < $2', [experimentId, id]);
    });
  }

  latestStrategyState(experimentId: number): Promise<StrategySnapshot | undefined> {
    return this.read(async (sql) => {
      const row = await sql.get<{ after_trial: number; state: string; saved_at: number; nonfinite: string | null }>(
        'SELECT after_trial, state, saved_at, nonfinite FROM strategy_states WHERE experiment_id = $1 ORDER BY id DESC LIMIT 1',
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
    return this.write(async (sql) => {
      const w = new NonFiniteWriter();
      const at = this.now();
      const params = [experimentId, event.type, w.json('payload', event.payload), at, w.column()];
      const id = await this.insert(
        sql,
        'INSERT INTO events (experiment_id, type, payload, at, nonfinite) VALUES ($1, $2, $3, $4, $5) RETURNING id',
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
    return this.read(async (sql) => {
      const rows = await sql.all<{ id: number; type: string; payload: string; at: number; nonfinite: string | null }>(
        'SELECT id, type, payload, at, nonfinite FROM events WHERE experiment_id = $1 AND ($2::text IS NULL OR type = $2) AND id > $3 ORDER BY id',
        [experimentId, filter.type ?? null, filter.afterId ?? 0],
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
    return this.write((sql) => claimLease(sql, experimentId, claimant, options.staleAfterMs, this.now));
  }

  renewLease(experimentId: number, token: string): Promise<boolean> {
    return this.write((sql) => renewLeaseRow(sql, experimentId, token, this.now()));
  }

  releaseLease(experimentId: number, token: string): Promise<boolean> {
    return this.write((sql) => releaseLeaseRow(sql, experimentId, token));
  }

  readLease(experimentId: number): Promise<ExperimentLease | undefined> {
    return this.read((sql) => readLeaseRow(sql, experimentId));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.serial(() => this.db.close());
  }

  private read<T>(body: (sql: Sql) => Promise<T>): Promise<T> {
    return this.op(() => this.db.read(body));
  }

  private write<T>(body: (sql: Sql) => Promise<T>): Promise<T> {
    return this.op(() => this.db.write(body));
  }

  private op<T>(operation: () => Promise<T>): Promise<T> {
    if (this.closed)
      return Promise.reject(new StorageMisuseError('CLOSED', `the storage of ${this.db.place.where} is closed`));
    return this.db.serial(operation);
  }

  /** Inserts a row of an experiment and returns its id; an unknown experiment is a {@link StorageMisuseError}. */
  private async insert(sql: Sql, text: string, params: readonly unknown[], experimentId: number): Promise<number> {
    try {
      return (await sql.get<{ id: number }>(text, params))!.id;
    } catch (error) {
      if (pgCode(error) === '23503') throw unknownExperiment(experimentId);
      throw error;
    }
  }
}
