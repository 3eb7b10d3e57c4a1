import type { EpochMetrics, Trial, TrialState } from '../../core/trial.js';
import { Sql } from './postgres-db.js';
import { replaceDiagnostics } from './postgres-diagnostics.js';
import { pgCode } from './postgres-errors.js';
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
  epochFromRow,
  epochParams,
  finishParams,
  newTrialParams,
  trialFromRow,
  type EpochRow,
  type TrialRow,
} from './sqlite-rows.js';
import type { NewTrial, TrialResult } from './storage.js';

// The trial operations of the PostgreSQL storage, on the rows of sqlite-rows.ts (the same columns
// and encoding). Reads take a connection, writes run inside the storage's transaction (postgres-db.ts).

// Inserts nothing for a number already used, so that no id is spent on it (a sequence never gives one back).
const INSERT_TRIAL = `INSERT INTO trials (experiment_id, number, sample, key, fidelity, retry_of, worker, state, started_at, nonfinite)
  SELECT $experiment::bigint, $number::bigint, $sample::json, $key::text, $fidelity::json, $retryOf::bigint, $worker::text, 'RUNNING', $startedAt::bigint, $nonfinite::json
  WHERE NOT EXISTS (SELECT 1 FROM trials WHERE experiment_id = $experiment AND number = $number)
  ON CONFLICT (experiment_id, number) DO NOTHING RETURNING id`;

const FINISH_TRIAL = `UPDATE trials SET state = $state, reason = $reason, message = $message, finished_at = $finishedAt,
  seconds = $seconds, params = $params, params_total = $paramsTotal, macs = $macs, train_memory_bytes = $trainMemory,
  inference_memory_bytes = $inferenceMemory, estimated_latency_ms = $estimatedLatency, measured_latency_ms = $measuredLatency,
  compiled_latency_ms = $compiledLatency, metrics = $metrics, diagnostics = $diagnostics, engine = $engine, nonfinite = $nonfinite
  WHERE id = $id AND state = 'RUNNING'`;

const EPOCH_VALUES =
  '$1::bigint, $2::bigint, $3::float8, $4::float8, $5::float8, $6::float8, $7::float8, $8::float8, $9::json';

const INSERT_EPOCH = `INSERT INTO epochs (trial_id, epoch, train_loss, train_accuracy, validation_loss, validation_accuracy, learning_rate, seconds, nonfinite)
  SELECT ${EPOCH_VALUES} WHERE EXISTS (SELECT 1 FROM trials WHERE id = $1 AND state = 'RUNNING')
  ON CONFLICT (trial_id, epoch) DO NOTHING`;

/** Stores a RUNNING trial. */
export async function insertTrial(sql: Sql, experimentId: number, input: NewTrial, now: number): Promise<Trial> {
  checkNewTrial(input);
  const [text, params] = Sql.named(INSERT_TRIAL, newTrialParams(experimentId, input, now));
  const row = await sql.get<{ id: number }>(text, params).catch((error: unknown) => {
    throw pgCode(error) === '23503' ? unknownExperiment(experimentId) : error;
  });
  if (row === undefined) throw duplicateTrial(experimentId, input.number);
  return runningTrial(row.id, input, now);
}

/** One trial, with its epochs when it has an outcome. */
export async function readTrial(sql: Sql, trialId: number): Promise<Trial | undefined> {
  const row = await sql.get<TrialRow>('SELECT * FROM trials WHERE id = $1', [trialId]);
  if (row === undefined) return undefined;
  return trialFromRow(row, row.metrics === null ? [] : await readEpochs(sql, trialId));
}

/** A trial's epochs in order. */
export async function readEpochs(sql: Sql, trialId: number): Promise<EpochMetrics[]> {
  const rows = await sql.all<EpochRow>('SELECT * FROM epochs WHERE trial_id = $1 ORDER BY epoch', [trialId]);
  return rows.map(epochFromRow);
}

/** Records one epoch of a RUNNING trial (one statement; the reason it was refused is looked up after). */
export async function insertEpoch(sql: Sql, trialId: number, metrics: EpochMetrics): Promise<void> {
  checkEpochNumber(metrics.epoch);
  if ((await sql.run(INSERT_EPOCH, epochParams(trialId, metrics))) === 1) return;
  const trial = await sql.get<Pick<TrialRow, 'id' | 'number' | 'state'>>(
    'SELECT id, number, state FROM trials WHERE id = $1',
    [trialId],
  );
  if (trial === undefined) throw unknownTrial(trialId);
  checkEpoch(trial, metrics);
  throw duplicateEpoch(trial, metrics.epoch);
}

/** Ends a RUNNING trial (inside the storage's transaction); an outcome's epochs replace those recorded so far. */
export async function finishTrialRow(sql: Sql, trialId: number, result: TrialResult, now: number): Promise<Trial> {
  const row = await sql.get<TrialRow>('SELECT * FROM trials WHERE id = $1 FOR UPDATE', [trialId]);
  if (row === undefined) throw unknownTrial(trialId);
  checkFinish(row, result);
  await sql.run(...Sql.named(FINISH_TRIAL, finishParams(trialId, result, now, row.nonfinite)));
  if (result.outcome !== undefined) {
    await sql.run('DELETE FROM epochs WHERE trial_id = $1', [trialId]);
    await insertEpochs(sql, trialId, result.outcome.epochs);
  }
  if (result.outcome?.diagnostics !== undefined) await replaceDiagnostics(sql, trialId, result.outcome.diagnostics);
  return finishedTrial(trialFromRow(row, []), result, now);
}

/** Inserts epochs with one statement (arrays unnested into rows). */
async function insertEpochs(sql: Sql, trialId: number, epochs: readonly EpochMetrics[]): Promise<void> {
  if (epochs.length === 0) return;
  const rows = epochs.map((m) => epochParams(trialId, m));
  const columns = rows[0]!.map((_, c) => rows.map((r) => r[c]));
  await sql.run(
    `INSERT INTO epochs (trial_id, epoch, train_loss, train_accuracy, validation_loss, validation_accuracy, learning_rate, seconds, nonfinite)
     SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::json[])`,
    columns,
  );
}

/** An experiment's trials ordered by number (optionally in one state), with their outcomes' epochs. */
export async function readTrials(sql: Sql, experimentId: number, state: TrialState | undefined): Promise<Trial[]> {
  const where = state === undefined ? 't.experiment_id = $1' : 't.experiment_id = $1 AND t.state = $2';
  const params = state === undefined ? [experimentId] : [experimentId, state];
  const rows = await sql.all<TrialRow>(`SELECT * FROM trials t WHERE ${where} ORDER BY t.number`, params);
  const epochRows = await sql.all<EpochRow>(
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

/** Moves the experiment's RUNNING trials to FAILED 'interrupted' (inside the storage's transaction); returns them. */
export async function interruptTrials(sql: Sql, experimentId: number, now: number): Promise<Trial[]> {
  if ((await sql.get('SELECT 1 FROM experiments WHERE id = $1', [experimentId])) === undefined)
    throw unknownExperiment(experimentId);
  const rows = await sql.all<TrialRow>(
    "SELECT * FROM trials WHERE experiment_id = $1 AND state = 'RUNNING' ORDER BY number FOR UPDATE",
    [experimentId],
  );
  await sql.run(
    "UPDATE trials SET state = 'FAILED', reason = $1, message = $2, finished_at = $3 WHERE experiment_id = $4 AND state = 'RUNNING'",
    [INTERRUPTED.reason, INTERRUPTED.message, now, experimentId],
  );
  return rows.map((row) => finishedTrial(trialFromRow(row, []), INTERRUPTED, now));
}
