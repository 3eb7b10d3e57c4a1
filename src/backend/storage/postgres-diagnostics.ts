import { diagnosticEpochs, type DiagnosticEpoch, type TrialDiagnostics } from '../../core/trial-diagnostics.js';
import type { Trial } from '../../core/trial.js';
import { NonFiniteReader } from './nonfinite.js';
import type { Sql } from './postgres-db.js';
import { checkEpoch, duplicateDiagnostics, unknownTrial } from './rules.js';
import { rowParams } from './sqlite-diagnostics.js';

// The per-epoch diagnostics of the PostgreSQL storage (migration 4), in the rows the SQLite storage writes.

const INSERT =
  'INSERT INTO diagnostics (trial_id, epoch, data, nonfinite) VALUES ($1, $2, $3, $4) ON CONFLICT (trial_id, epoch) DO NOTHING';

/** Records one epoch's diagnostics of a RUNNING trial (inside the storage's transaction). */
export async function insertDiagnostics(sql: Sql, trialId: number, record: DiagnosticEpoch): Promise<void> {
  const trial = await sql.get<Pick<Trial, 'id' | 'number' | 'state'>>(
    'SELECT id, number, state FROM trials WHERE id = $1',
    [trialId],
  );
  if (trial === undefined) throw unknownTrial(trialId);
  checkEpoch(trial, record);
  if ((await sql.run(INSERT, rowParams(trialId, record))) === 0) throw duplicateDiagnostics(trial, record.epoch);
}

/** A trial's diagnostics per epoch, in epoch order. */
export async function readDiagnostics(sql: Sql, trialId: number): Promise<DiagnosticEpoch[]> {
  const rows = await sql.all<{ data: string; nonfinite: string | null }>(
    'SELECT data, nonfinite FROM diagnostics WHERE trial_id = $1 ORDER BY epoch',
    [trialId],
  );
  return rows.map((row) => new NonFiniteReader(row.nonfinite).json<DiagnosticEpoch>('data', row.data));
}

/** Replaces a trial's diagnostics rows by those of its finished run (inside the finishing transaction). */
export async function replaceDiagnostics(sql: Sql, trialId: number, diagnostics: TrialDiagnostics): Promise<void> {
  await sql.run('DELETE FROM diagnostics WHERE trial_id = $1', [trialId]);
  for (const record of diagnosticEpochs(diagnostics)) await sql.run(INSERT, rowParams(trialId, record));
}
