import { diagnosticsSummary, type TrialDiagnostics } from '../../core/trial-diagnostics.js';
import type { EpochMetrics, FailureReason, Trial, TrialEngine, TrialOutcome, TrialState } from '../../core/trial.js';
import { NonFiniteReader, NonFiniteWriter } from './nonfinite.js';
import type { NewTrial, TrialResult } from './storage.js';

// Rows of the trials and epochs tables (the same in SQLite and PostgreSQL), and their mapping to the shared vocabulary.

/** A row of `trials`. */
export interface TrialRow {
  readonly id: number;
  readonly experiment_id: number;
  readonly number: number;
  readonly sample: string;
  readonly key: string;
  readonly fidelity: string | null;
  readonly retry_of: number | null;
  readonly continues: number | null;
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

/** The columns a new RUNNING trial is inserted with ({@link newTrialParams} in this order; its state is 'RUNNING'). */
export const NEW_TRIAL_COLUMNS =
  'experiment_id, number, sample, key, fidelity, retry_of, continues, worker, started_at, nonfinite';

/** The columns that finishing a trial sets ({@link finishParams} in this order, then the trial's id). */
export const FINISH_COLUMNS = [
  'state',
  'reason',
  'message',
  'finished_at',
  'seconds',
  'params',
  'params_total',
  'macs',
  'train_memory_bytes',
  'inference_memory_bytes',
  'estimated_latency_ms',
  'measured_latency_ms',
  'compiled_latency_ms',
  'metrics',
  'diagnostics',
  'engine',
  'nonfinite',
] as const;

/** Positional parameters of a new RUNNING trial (in {@link NEW_TRIAL_COLUMNS} order). */
export function newTrialParams(experimentId: number, input: NewTrial, now: number): unknown[] {
  const w = new NonFiniteWriter();
  const sample = w.json('sample', input.sample);
  const fidelity = w.json('fidelity', input.fidelity);
  return [
    experimentId,
    input.number,
    sample,
    input.key,
    fidelity,
    input.retryOf ?? null,
    input.continues ?? null,
    input.worker ?? null,
    now,
    w.column(),
  ];
}

/** Positional parameters of finishing a trial whose `nonfinite` column is `existing` (in {@link FINISH_COLUMNS} order). */
export function finishParams(result: TrialResult, now: number, existing: string | null): unknown[] {
  const w = new NonFiniteWriter(existing);
  const o = result.outcome;
  return [
    result.state,
    result.reason ?? null,
    result.message ?? null,
    now,
    w.real('seconds', o?.seconds),
    w.real('params', o?.cost.params),
    w.real('params_total', o?.cost.paramsTotal),
    w.real('macs', o?.cost.macs),
    w.real('train_memory_bytes', o?.cost.trainMemoryBytes),
    w.real('inference_memory_bytes', o?.cost.inferenceMemoryBytes),
    w.real('estimated_latency_ms', o?.cost.estimatedLatencyMs),
    w.real('measured_latency_ms', o?.cost.measuredLatencyMs),
    w.real('compiled_latency_ms', o?.cost.compiledLatencyMs),
    w.json('metrics', o?.metrics),
    w.json('diagnostics', recordedDiagnostics(o === undefined ? result.diagnostics : o.diagnostics)),
    o?.engine === undefined ? null : JSON.stringify(o.engine),
    w.column(),
  ];
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

/** The diagnostics column's value: the interval and the flags, of the outcome or of a trial without one. */
function recordedDiagnostics(d: TrialDiagnostics | undefined): TrialDiagnostics | undefined {
  return d === undefined ? undefined : diagnosticsSummary(d);
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
    ...(row.metrics === null && row.diagnostics !== null
      ? diagnosticsOf(r.json<unknown>('diagnostics', row.diagnostics))
      : {}),
    ...(row.fidelity === null ? {} : { fidelity: r.json('fidelity', row.fidelity) }),
    ...(row.worker === null ? {} : { worker: row.worker }),
    ...(row.retry_of === null ? {} : { retryOf: row.retry_of }),
    ...(row.continues === null ? {} : { continues: row.continues }),
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
