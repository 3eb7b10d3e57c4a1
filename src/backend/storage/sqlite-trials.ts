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
import { replaceDiagnostics } from './sqlite-diagnostics.js';
import { sqliteCode, type Db } from './sqlite-db.js';
import {
  EPOCH_COLUMNS,
  epochFromRow,
  epochParams,
  finishParams,
  newTrialParams,
  trialFromRow,
  type EpochRow,
  type TrialRow,
} from './sqlite-rows.js';
import type { NewTrial, TrialResult } from './storage.js';

// The trial operations of the SQLite storage. Each runs inside the storage's serial queue.

const INSERT_TRIAL = `INSERT INTO trials (experiment_id, number, sample, key, fidelity, retry_of, worker, state, started_at, nonfinite)
  VALUES ($experiment, $number, $sample, $key, $fidelity, $retryOf, $worker, 'RUNNING', $startedAt, $nonfinite)`;

const FINISH_TRIAL = `UPDATE trials SET state = $state, reason = $reason, message = $message, finished_at = $finishedAt,
  seconds = $seconds, params = $params, params_total = $paramsTotal, macs = $macs, train_memory_bytes = $trainMemory,
  inference_memory_bytes = $inferenceMemory, estimated_latency_ms = $estimatedLatency, measured_latency_ms = $measuredLatency,
  compiled_latency_ms = $compiledLatency,
  metrics = $metrics, diagnostics = $diagnostics, engine = $engine, nonfinite = $nonfinite
  WHERE id = $id AND state = 'RUNNING'`;

const INSERT_EPOCH = `INSERT INTO epochs (${EPOCH_COLUMNS}) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?
  WHERE EXISTS (SELECT 1 FROM trials WHERE id = ? AND state = 'RUNNING')`;

const EPOCHS_PER_INSERT = 500;

/** Stores a RUNNING trial. */
export async function insertTrial(db: Db, experimentId: number, input: NewTrial, now: number): Promise<Trial> {
  checkNewTrial(input);
  try {
    const { lastID } = await db.run(INSERT_TRIAL, newTrialParams(experimentId, input, now));
    return runningTrial(lastID, input, now);
  } catch (error) {
    if (sqliteCode(error) !== 'SQLITE_CONSTRAINT') throw error;
    if (/FOREIGN KEY/.test((error as Error).message)) throw unknownExperiment(experimentId);
    throw duplicateTrial(experimentId, input.number);
  }
}

/** One trial, with its epochs when it has an outcome. */
export async function readTrial(db: Db, trialId: number): Promise<Trial | undefined> {
  const row = await db.get<TrialRow>('SELECT * FROM trials WHERE id = ?', [trialId]);
  if (row === undefined) return undefined;
  return trialFromRow(row, row.metrics === null ? [] : await readEpochs(db, trialId));
}

/** A trial's epochs in order. */
export async function readEpochs(db: Db, trialId: number): Promise<EpochMetrics[]> {
  const rows = await db.all<EpochRow>('SELECT * FROM epochs WHERE trial_id = ? ORDER BY epoch', [trialId]);
  return rows.map(epochFromRow);
}

/** Records one epoch of a RUNNING trial (one statement; the reason it was refused is looked up after). */
export async function insertEpoch(db: Db, trialId: number, metrics: EpochMetrics): Promise<void> {
  checkEpochNumber(metrics.epoch);
  const lookup = async () => {
    const trial = await db.get<Pick<TrialRow, 'id' | 'number' | 'state'>>(
      'SELECT id, number, state FROM trials WHERE id = ?',
      [trialId],
    );
    if (trial === undefined) throw unknownTrial(trialId);
    checkEpoch(trial, metrics);
    return trial;
  };
  let changes: number;
  try {
    ({ changes } = await db.run(INSERT_EPOCH, [...epochParams(trialId, metrics), trialId]));
  } catch (error) {
    if (sqliteCode(error) !== 'SQLITE_CONSTRAINT') throw error;
    throw duplicateEpoch(await lookup(), metrics.epoch);
  }
  if (changes === 0) {
    await lookup();
    throw new Error(`epoch ${metrics.epoch} of trial id ${trialId} was not recorded, though the trial is RUNNING`);
  }
}

/** Ends a RUNNING trial in one transaction; an outcome's epochs replace those recorded so far. */
export function finishTrialRow(db: Db, trialId: number, result: TrialResult, now: number): Promise<Trial> {
  return db.transaction(async () => {
    const row = await db.get<TrialRow>('SELECT * FROM trials WHERE id = ?', [trialId]);
    if (row === undefined) throw unknownTrial(trialId);
    checkFinish(row, result);
    await db.run(FINISH_TRIAL, finishParams(trialId, result, now, row.nonfinite));
    if (result.outcome !== undefined) {
      await db.run('DELETE FROM epochs WHERE trial_id = ?', [trialId]);
      await insertEpochs(db, trialId, result.outcome.epochs);
    }
    if (result.outcome?.diagnostics !== undefined) await replaceDiagnostics(db, trialId, result.outcome.diagnostics);
    return finishedTrial(trialFromRow(row, []), result, now);
  });
}

async function insertEpochs(db: Db, trialId: number, epochs: readonly EpochMetrics[]): Promise<void> {
  for (let start = 0; start < epochs.length; start += EPOCHS_PER_INSERT) {
    const chunk = epochs.slice(start, start + EPOCHS_PER_INSERT);
    const rows = chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
    await db.run(
      `INSERT INTO epochs (${EPOCH_COLUMNS}) VALUES ${rows}`,
      chunk.flatMap((m) => epochParams(trialId, m)),
    );
  }
}

/** An experiment's trials ordered by number (optionally in one state), with their outcomes' epochs. */
export async function readTrials(db: Db, experimentId: number, state: TrialState | undefined): Promise<Trial[]> {
  const where = state === undefined ? 't.experiment_id = ?' : 't.experiment_id = ? AND t.state = ?';
  const params = state === undefined ? [experimentId] : [experimentId, state];
  const rows = await db.all<TrialRow>(`SELECT * FROM trials t WHERE ${where} ORDER BY t.number`, params);
  const epochRows = await db.all<EpochRow>(
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
export function interruptTrials(db: Db, experimentId: number, now: number): Promise<Trial[]> {
  return db.transaction(async () => {
    if ((await db.get('SELECT 1 FROM experiments WHERE id = ?', [experimentId])) === undefined)
      throw unknownExperiment(experimentId);
    const rows = await db.all<TrialRow>(
      "SELECT * FROM trials WHERE experiment_id = ? AND state = 'RUNNING' ORDER BY number",
      [experimentId],
    );
    await db.run(
      "UPDATE trials SET state = 'FAILED', reason = ?, message = ?, finished_at = ? WHERE experiment_id = ? AND state = 'RUNNING'",
      [INTERRUPTED.reason, INTERRUPTED.message, now, experimentId],
    );
    return rows.map((row) => finishedTrial(trialFromRow(row, []), INTERRUPTED, now));
  });
}
