import type { Json } from '../../core/arch.js';
import type { TrialState } from '../../core/trial.js';
import { NonFiniteReader, NonFiniteWriter } from './nonfinite.js';
import { checkNewExperiment, checkStatus, emptyCounts, experimentExists, unknownExperiment } from './rules.js';
import type { SqlSession } from './sql-session.js';
import type {
  Experiment,
  ExperimentStatus,
  ExperimentSummary,
  NewEvent,
  NewExperiment,
  StoredEvent,
  StrategySnapshot,
} from './storage.js';

// The experiments, strategy snapshots and events of the SQLite and PostgreSQL storages (sql-session.ts).

/** A row of `experiments`. */
interface ExperimentRow {
  readonly id: number;
  readonly name: string;
  readonly config: string;
  readonly seed: number;
  readonly status: ExperimentStatus;
  readonly created_at: number;
  readonly updated_at: number;
  readonly nonfinite: string | null;
}

// Inserts nothing for a name already taken, so that PostgreSQL spends no id on it (a sequence never gives one back).
const INSERT_EXPERIMENT = `INSERT INTO experiments (name, config, seed, status, created_at, updated_at, nonfinite)
  SELECT ?::text, ?::json, ?::bigint, 'running', ?::bigint, ?::bigint, ?::json WHERE NOT EXISTS (SELECT 1 FROM experiments WHERE name = ?)
  ON CONFLICT (name) DO NOTHING RETURNING *`;

/** A new experiment, status `running`; a taken name is an error naming `where` (the storage). */
export async function insertExperiment(
  s: SqlSession,
  input: NewExperiment,
  now: number,
  where: string,
): Promise<Experiment> {
  checkNewExperiment(input);
  const w = new NonFiniteWriter();
  const config = w.json('config', input.config);
  const row = await s.get<ExperimentRow>(INSERT_EXPERIMENT, [
    input.name,
    config,
    input.seed,
    now,
    now,
    w.column(),
    input.name,
  ]);
  if (row === undefined) throw experimentExists(input.name, where);
  return experimentFromRow(row);
}

export async function readExperiment(s: SqlSession, name: string): Promise<Experiment | undefined> {
  const row = await s.get<ExperimentRow>('SELECT * FROM experiments WHERE name = ?', [name]);
  return row === undefined ? undefined : experimentFromRow(row);
}

/** Every experiment, oldest first, with its trial counts per state. */
export async function readExperiments(s: SqlSession): Promise<ExperimentSummary[]> {
  const rows = await s.all<ExperimentRow>('SELECT * FROM experiments ORDER BY id');
  const counts = await s.all<{ experiment_id: number; state: TrialState; n: number }>(
    'SELECT experiment_id, state, count(*) AS n FROM trials GROUP BY experiment_id, state',
  );
  return rows.map((row) => {
    const trials = emptyCounts();
    for (const c of counts) if (c.experiment_id === row.id) trials[c.state] = c.n;
    return { ...experimentFromRow(row), trials };
  });
}

export async function updateStatus(
  s: SqlSession,
  experimentId: number,
  status: ExperimentStatus,
  now: number,
): Promise<Experiment> {
  checkStatus(status);
  const row = await s.get<ExperimentRow>('UPDATE experiments SET status = ?, updated_at = ? WHERE id = ? RETURNING *', [
    status,
    now,
    experimentId,
  ]);
  if (row === undefined) throw unknownExperiment(experimentId);
  return experimentFromRow(row);
}

/** Saves a strategy snapshot and deletes the older ones. */
export async function insertSnapshot(
  s: SqlSession,
  experimentId: number,
  afterTrial: number,
  state: Json,
  now: number,
): Promise<void> {
  const w = new NonFiniteWriter();
  const params = [experimentId, afterTrial, w.json('state', state), now, w.column()];
  const id = await insertReturningId(
    s,
    'INSERT INTO strategy_states (experiment_id, after_trial, state, saved_at, nonfinite) VALUES (?, ?, ?, ?, ?) RETURNING id',
    params,
    experimentId,
  );
  // Only the latest is ever read: a REINFORCE controller's state is ~400 KB, saved after every ask and tell.
  await s.run('DELETE FROM strategy_states WHERE experiment_id = ? AND id < ?', [experimentId, id]);
}

export async function readLatestSnapshot(s: SqlSession, experimentId: number): Promise<StrategySnapshot | undefined> {
  const row = await s.get<{ after_trial: number; state: string; saved_at: number; nonfinite: string | null }>(
    'SELECT after_trial, state, saved_at, nonfinite FROM strategy_states WHERE experiment_id = ? ORDER BY id DESC LIMIT 1',
    [experimentId],
  );
  if (row === undefined) return undefined;
  return {
    afterTrial: row.after_trial,
    state: new NonFiniteReader(row.nonfinite).json<Json>('state', row.state),
    savedAt: row.saved_at,
  };
}

export async function insertEvent(
  s: SqlSession,
  experimentId: number,
  event: NewEvent,
  now: number,
): Promise<StoredEvent> {
  const w = new NonFiniteWriter();
  const params = [experimentId, event.type, w.json('payload', event.payload), now, w.column()];
  const id = await insertReturningId(
    s,
    'INSERT INTO events (experiment_id, type, payload, at, nonfinite) VALUES (?, ?, ?, ?, ?) RETURNING id',
    params,
    experimentId,
  );
  return { id, type: event.type, payload: structuredClone(event.payload), at: now };
}

/** An experiment's events in append order, of one type and after an id if asked. */
export async function readEvents(
  s: SqlSession,
  experimentId: number,
  filter: { readonly type?: string; readonly afterId?: number },
): Promise<StoredEvent[]> {
  const rows = await s.all<{ id: number; type: string; payload: string; at: number; nonfinite: string | null }>(
    'SELECT id, type, payload, at, nonfinite FROM events WHERE experiment_id = ? AND (?::text IS NULL OR type = ?) AND id > ? ORDER BY id',
    [experimentId, filter.type ?? null, filter.type ?? null, filter.afterId ?? 0],
  );
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    payload: new NonFiniteReader(r.nonfinite).json<Json>('payload', r.payload),
    at: r.at,
  }));
}

/** Inserts a row of an experiment and returns its id; an unknown experiment is a misuse error. */
async function insertReturningId(
  s: SqlSession,
  sql: string,
  params: readonly unknown[],
  experimentId: number,
): Promise<number> {
  const row = await s.get<{ id: number }>(sql, params).catch((error: unknown) => {
    throw s.violated(error) === 'foreign-key' ? unknownExperiment(experimentId) : error;
  });
  return (row as { id: number }).id;
}

function experimentFromRow(row: ExperimentRow): Experiment {
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
