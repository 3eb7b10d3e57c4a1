import { diagnosticEpochs, type DiagnosticEpoch, type TrialDiagnostics } from '../../core/trial-diagnostics.js';
import type { Trial } from '../../core/trial.js';
import { NonFiniteReader, NonFiniteWriter } from './nonfinite.js';
import { checkEpoch, duplicateDiagnostics, unknownTrial } from './rules.js';
import { sqliteCode, type Db } from './sqlite-db.js';

// The per-epoch diagnostics of the SQLite storage (migration 4). Each runs inside the storage's serial queue.

type DiagnosticsRow = { readonly epoch: number; readonly data: string; readonly nonfinite: string | null };

/** The values of one diagnostics row: trial id, epoch, data, nonfinite (the PostgreSQL storage writes the same). */
export function rowParams(trialId: number, record: DiagnosticEpoch): unknown[] {
  const w = new NonFiniteWriter();
  const data = w.json('data', record);
  return [trialId, record.epoch, data, w.column()];
}

/** Records one epoch's diagnostics of a RUNNING trial. */
export async function insertDiagnostics(db: Db, trialId: number, record: DiagnosticEpoch): Promise<void> {
  const trial = await db.get<Pick<Trial, 'id' | 'number' | 'state'>>(
    'SELECT id, number, state FROM trials WHERE id = ?',
    [trialId],
  );
  if (trial === undefined) throw unknownTrial(trialId);
  checkEpoch(trial, record);
  try {
    await db.run(
      'INSERT INTO diagnostics (trial_id, epoch, data, nonfinite) VALUES (?, ?, ?, ?)',
      rowParams(trialId, record),
    );
  } catch (error) {
    if (sqliteCode(error) !== 'SQLITE_CONSTRAINT') throw error;
    throw duplicateDiagnostics(trial, record.epoch);
  }
}

/** A trial's diagnostics per epoch, in epoch order. */
export async function readDiagnostics(db: Db, trialId: number): Promise<DiagnosticEpoch[]> {
  const rows = await db.all<DiagnosticsRow>(
    'SELECT epoch, data, nonfinite FROM diagnostics WHERE trial_id = ? ORDER BY epoch',
    [trialId],
  );
  return rows.map((row) => new NonFiniteReader(row.nonfinite).json<DiagnosticEpoch>('data', row.data));
}

/** Replaces a trial's diagnostics rows by those of its finished run (inside the finishing transaction). */
export async function replaceDiagnostics(db: Db, trialId: number, diagnostics: TrialDiagnostics): Promise<void> {
  await db.run('DELETE FROM diagnostics WHERE trial_id = ?', [trialId]);
  for (const record of diagnosticEpochs(diagnostics)) {
    await db.run(
      'INSERT INTO diagnostics (trial_id, epoch, data, nonfinite) VALUES (?, ?, ?, ?)',
      rowParams(trialId, record),
    );
  }
}
