import type { EpochMetrics, Trial, TrialState } from '../../core/trial.js';
import { INTERRUPTED, finishedTrial, runningTrial } from './records.js';
import {
  checkEpoch,
  checkEpochNumber,
  checkFinish,
  checkNewTrial,
  duplicateEpoch,
  duplicateTrial,
  unknownExperiment,
  unknownTrial,
} from './rules.js';
import {
  EPOCH_COLUMNS,
  FINISH_COLUMNS,
  NEW_TRIAL_COLUMNS,
  epochFromRow,
  epochParams,
  finishParams,
  newTrialParams,
  trialFromRow,
  type EpochRow,
  type TrialRow,
} from './sql-rows.js';
import type { SqlSession } from './sql-session.js';
import type { NewTrial, TrialResult } from './storage.js';

// The trial operations of the SQLite and PostgreSQL storages (sql-session.ts).

// Inserts nothing for a number already used, so that PostgreSQL spends no id on it (a sequence never gives one back).
const INSERT_TRIAL = `INSERT INTO trials (${NEW_TRIAL_COLUMNS}, state)
  SELECT ?::bigint, ?::bigint, ?::json, ?::text, ?::json, ?::bigint, ?::bigint, ?::text, ?::bigint, ?::json, 'RUNNING'
  WHERE NOT EXISTS (SELECT 1 FROM trials WHERE experiment_id = ? AND number = ?)
  ON CONFLICT (experiment_id, number) DO NOTHING RETURNING id`;

const FINISH_TRIAL = `UPDATE trials SET ${FINISH_COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE id = ? AND state = 'RUNNING'`;

const INSERT_EPOCH = `INSERT INTO epochs (${EPOCH_COLUMNS})
  SELECT ?::bigint, ?::bigint, ?::float8, ?::float8, ?::float8, ?::float8, ?::float8, ?::float8, ?::json
  WHERE EXISTS (SELECT 1 FROM trials WHERE id = ? AND state = 'RUNNING')
  ON CONFLICT (trial_id, epoch) DO NOTHING`;

/** Rows per INSERT of an outcome's epochs (9 parameters each: within both databases' limits). */
const EPOCHS_PER_INSERT = 500;

/** Stores a RUNNING trial. */
export async function insertTrial(s: SqlSession, experimentId: number, input: NewTrial, now: number): Promise<Trial> {
  checkNewTrial(input);
  const params = [...newTrialParams(experimentId, input, now), experimentId, input.number];
  const row = await s.get<{ id: number }>(INSERT_TRIAL, params).catch((error: unknown) => {
    throw s.violated(error) === 'foreign-key' ? unknownExperiment(experimentId) : error;
  });
  if (row === undefined) throw duplicateTrial(experimentId, input.number);
  return runningTrial(row.id, input, now);
}

/** One trial, with its epochs when it has an outcome. */
export async function readTrial(s: SqlSession, trialId: number): Promise<Trial | undefined> {
  const row = await s.get<TrialRow>('SELECT * FROM trials WHERE id = ?', [trialId]);
  if (row === undefined) return undefined;
  return trialFromRow(row, row.metrics === null ? [] : await readEpochs(s, trialId));
}

/** A trial's epochs in order. */
export async function readEpochs(s: SqlSession, trialId: number): Promise<EpochMetrics[]> {
  const rows = await s.all<EpochRow>('SELECT * FROM epochs WHERE trial_id = ? ORDER BY epoch', [trialId]);
  return rows.map(epochFromRow);
}

/** Records one epoch of a RUNNING trial (one statement; the reason it was refused is looked up after). */
export async function insertEpoch(s: SqlSession, trialId: number, metrics: EpochMetrics): Promise<void> {
  checkEpochNumber(metrics.epoch);
  if ((await s.run(INSERT_EPOCH, [...epochParams(trialId, metrics), trialId])) === 1) return;
  const trial = await s.get<Pick<TrialRow, 'id' | 'number' | 'state'>>(
    'SELECT id, number, state FROM trials WHERE id = ?',
    [trialId],
  );
  if (trial === undefined) throw unknownTrial(trialId);
  checkEpoch(trial, metrics);
  throw duplicateEpoch(trial, metrics.epoch);
}

/** Ends a RUNNING trial in one transaction; an outcome's epochs replace those recorded so far. */
export function finishTrialRow(s: SqlSession, trialId: number, result: TrialResult, now: number): Promise<Trial> {
  return s.transaction(async () => {
    const row = await s.get<TrialRow>(`SELECT * FROM trials WHERE id = ? ${s.lock('UPDATE')}`, [trialId]);
    if (row === undefined) throw unknownTrial(trialId);
    checkFinish(row, result);
    await s.run(FINISH_TRIAL, [...finishParams(result, now, row.nonfinite), trialId]);
    if (result.outcome !== undefined) {
      await s.run('DELETE FROM epochs WHERE trial_id = ?', [trialId]);
      await insertEpochs(s, trialId, result.outcome.epochs);
    }
    return finishedTrial(trialFromRow(row, []), result, now);
  });
}

async function insertEpochs(s: SqlSession, trialId: number, epochs: readonly EpochMetrics[]): Promise<void> {
  for (let start = 0; start < epochs.length; start += EPOCHS_PER_INSERT) {
    const chunk = epochs.slice(start, start + EPOCHS_PER_INSERT);
    const rows = chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
    await s.run(
      `INSERT INTO epochs (${EPOCH_COLUMNS}) VALUES ${rows}`,
      chunk.flatMap((m) => epochParams(trialId, m)),
    );
  }
}

/** An experiment's trials ordered by number (optionally in one state), with their outcomes' epochs. */
export async function readTrials(s: SqlSession, experimentId: number, state: TrialState | undefined): Promise<Trial[]> {
  const where = state === undefined ? 't.experiment_id = ?' : 't.experiment_id = ? AND t.state = ?';
  const params = state === undefined ? [experimentId] : [experimentId, state];
  const rows = await s.all<TrialRow>(`SELECT * FROM trials t WHERE ${where} ORDER BY t.number`, params);
  const epochRows = await s.all<EpochRow>(
    `SELECT e.* FROM epochs e JOIN trials t ON t.id = e.trial_id WHERE ${where} AND t.metrics IS NOT NULL ORDER BY e.trial_id, e.epoch`,
    params,
  );
  const epochs = new Map<number, EpochMetrics[]>();
  for (const e of epochRows) {
    const list = epochs.get(e.trial_id) ?? [];
    list.push(epochFromRow(e));
    epochs.set(e.trial_id, list);
  }
  return rows.map((row) => trialFromRow(row, epochs.get(row.id) ?? []));
}

/** Moves the experiment's RUNNING trials to FAILED 'interrupted' in one transaction; returns them. */
export function interruptTrials(s: SqlSession, experimentId: number, now: number): Promise<Trial[]> {
  return s.transaction(async () => {
    if ((await s.get('SELECT 1 FROM experiments WHERE id = ?', [experimentId])) === undefined)
      throw unknownExperiment(experimentId);
    const rows = await s.all<TrialRow>(
      `SELECT * FROM trials WHERE experiment_id = ? AND state = 'RUNNING' ORDER BY number ${s.lock('UPDATE')}`,
      [experimentId],
    );
    await s.run(
      "UPDATE trials SET state = 'FAILED', reason = ?, message = ?, finished_at = ? WHERE experiment_id = ? AND state = 'RUNNING'",
      [INTERRUPTED.reason, INTERRUPTED.message, now, experimentId],
    );
    return rows.map((row) => finishedTrial(trialFromRow(row, []), INTERRUPTED, now));
  });
}
