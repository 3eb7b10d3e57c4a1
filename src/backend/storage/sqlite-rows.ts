import { diagnosticsSummary, type TrialDiagnostics } from '../../core/trial-diagnostics.js';
import type { EpochMetrics, FailureReason, Trial, TrialEngine, TrialOutcome, TrialState } from '../../core/trial.js';
import { NonFiniteReader, NonFiniteWriter } from './nonfinite.js';
import type { NewTrial, TrialResult } from './storage.js';

// Rows of the trials and epochs tables, and their mapping to the shared vocabulary.

/** A row of `trials`. */
export interface TrialRow {
  readonly id: number;
  readonly experiment_id: number;
  readonly number: number;
  readonly sample: string;
  readonly key: string;
  readonly fidelity: string | null;
  readonly retry_of: number | null;
  readonly worker: string | null;
  readonly state: TrialState;
  readonly reason: FailureReason | null;
  readonly message: string | null;
  readonly started_at: number;
  readonly finished_at: number | null;
  readonly seconds: number | null;
  readonly params: number | null;
  readonly params_total: number | null;
  readonly macs: number | null;
  readonly train_memory_bytes: number | null;
  readonly inference_memory_bytes: number | null;
  readonly estimated_latency_ms: number | null;
  readonly measured_latency_ms: number | null;
  readonly compiled_latency_ms: number | null;
  readonly metrics: string | null;
  readonly diagnostics: string | null;
  readonly engine: string | null;
  readonly nonfinite: string | null;
}

/** A row of `epochs`. */
export interface EpochRow {
  readonly trial_id: number;
  readonly epoch: number;
  readonly train_loss: number | null;
  readonly train_accuracy: number | null;
  readonly validation_loss: number | null;
  readonly validation_accuracy: number | null;
  readonly learning_rate: number | null;
  readonly seconds: number | null;
  readonly nonfinite: string | null;
}

/** The columns of `epochs`, in insert order. */
export const EPOCH_COLUMNS =
  'trial_id, epoch, train_loss, train_accuracy, validation_loss, validation_accuracy, learning_rate, seconds, nonfinite';

/** Named parameters of the INSERT of a new RUNNING trial. */
export function newTrialParams(experimentId: number, input: NewTrial, now: number): Record<string, unknown> {
  const w = new NonFiniteWriter();
  return {
    $experiment: experimentId,
    $number: input.number,
    $sample: w.json('sample', input.sample),
    $key: input.key,
    $fidelity: w.json('fidelity', input.fidelity),
    $retryOf: input.retryOf ?? null,
    $worker: input.worker ?? null,
    $startedAt: now,
    $nonfinite: w.column(),
  };
}

/** Named parameters of the UPDATE that finishes a trial whose `nonfinite` column is `existing`. */
export function finishParams(
  trialId: number,
  result: TrialResult,
  now: number,
  existing: string | null,
): Record<string, unknown> {
  const w = new NonFiniteWriter(existing);
  const o = result.outcome;
  return {
    $id: trialId,
    $state: result.state,
    $reason: result.reason ?? null,
    $message: result.message ?? null,
    $finishedAt: now,
    $seconds: w.real('seconds', o?.seconds),
    $params: w.real('params', o?.cost.params),
    $paramsTotal: w.real('params_total', o?.cost.paramsTotal),
    $macs: w.real('macs', o?.cost.macs),
    $trainMemory: w.real('train_memory_bytes', o?.cost.trainMemoryBytes),
    $inferenceMemory: w.real('inference_memory_bytes', o?.cost.inferenceMemoryBytes),
    $estimatedLatency: w.real('estimated_latency_ms', o?.cost.estimatedLatencyMs),
    $measuredLatency: w.real('measured_latency_ms', o?.cost.measuredLatencyMs),
    $compiledLatency: w.real('compiled_latency_ms', o?.cost.compiledLatencyMs),
    $metrics: w.json('metrics', o?.metrics),
    $diagnostics: w.json('diagnostics', o?.diagnostics === undefined ? undefined : diagnosticsSummary(o.diagnostics)),
    $engine: o?.engine === undefined ? null : JSON.stringify(o.engine),
    $nonfinite: w.column(),
  };
}

/** Positional parameters of one epoch row (in {@link EPOCH_COLUMNS} order). */
export function epochParams(trialId: number, m: EpochMetrics): unknown[] {
  const w = new NonFiniteWriter();
  const values = [
    w.real('train_loss', m.trainLoss),
    w.real('train_accuracy', m.trainAccuracy),
    w.real('validation_loss', m.validationLoss),
    w.real('validation_accuracy', m.validationAccuracy),
    w.real('learning_rate', m.learningRate),
    w.real('seconds', m.seconds),
  ];
  return [trialId, m.epoch, ...values, w.column()];
}

/** An epoch row as {@link EpochMetrics}. */
export function epochFromRow(row: EpochRow): EpochMetrics {
  const r = new NonFiniteReader(row.nonfinite);
  const num = (column: keyof EpochRow): number => required(r.real(column, row[column] as number | null), column);
  return {
    epoch: row.epoch,
    trainLoss: num('train_loss'),
    trainAccuracy: num('train_accuracy'),
    validationLoss: num('validation_loss'),
    validationAccuracy: num('validation_accuracy'),
    learningRate: num('learning_rate'),
    seconds: num('seconds'),
  };
}

/** A trial row (with its epochs) as a {@link Trial}. */
export function trialFromRow(row: TrialRow, epochs: readonly EpochMetrics[]): Trial {
  const r = new NonFiniteReader(row.nonfinite);
  return {
    id: row.id,
    number: row.number,
    sample: r.json('sample', row.sample),
    key: row.key,
    state: row.state,
    ...(row.reason === null ? {} : { reason: row.reason }),
    ...(row.message === null ? {} : { message: row.message }),
    ...(row.metrics === null ? {} : { outcome: outcomeFromRow(row, r, epochs) }),
    ...(row.fidelity === null ? {} : { fidelity: r.json('fidelity', row.fidelity) }),
    ...(row.worker === null ? {} : { worker: row.worker }),
    ...(row.retry_of === null ? {} : { retryOf: row.retry_of }),
    startedAt: row.started_at,
    ...(row.finished_at === null ? {} : { finishedAt: row.finished_at }),
  };
}

function outcomeFromRow(row: TrialRow, r: NonFiniteReader, epochs: readonly EpochMetrics[]): TrialOutcome {
  const num = (column: keyof TrialRow): number => required(r.real(column, row[column] as number | null), column);
  const measured = r.real('measured_latency_ms', row.measured_latency_ms);
  const compiled = r.real('compiled_latency_ms', row.compiled_latency_ms);
  return {
    metrics: r.json('metrics', row.metrics as string),
    cost: {
      params: num('params'),
      paramsTotal: num('params_total'),
      macs: num('macs'),
      trainMemoryBytes: num('train_memory_bytes'),
      inferenceMemoryBytes: num('inference_memory_bytes'),
      estimatedLatencyMs: num('estimated_latency_ms'),
      ...(measured === null ? {} : { measuredLatencyMs: measured }),
      ...(compiled === null ? {} : { compiledLatencyMs: compiled }),
    },
    epochs,
    ...diagnosticsOf(row.diagnostics === null ? undefined : r.json<unknown>('diagnostics', row.diagnostics)),
    ...(row.engine === null ? {} : { engine: JSON.parse(row.engine) as TrialEngine }),
    seconds: num('seconds'),
  };
}

function required(value: number | null, column: string): number {
  if (value === null) throw new Error(`the database holds NULL in ${column} where a number belongs (a damaged row?)`);
  return value;
}

/**
 * A trial's diagnostics column: the interval and the flags (docs/storage.md, *Diagnostics*). Rows
 * written before migration 4 hold an older shape (per-epoch gradient norms, one batch's activation
 * statistics) that nothing reads; it stays in the file and is left out here.
 */
function diagnosticsOf(value: unknown): { diagnostics?: TrialDiagnostics } {
  const d = value as Partial<TrialDiagnostics> | undefined;
  return typeof d?.every === 'number' && Array.isArray(d.flags) ? { diagnostics: d as TrialDiagnostics } : {};
}
