import type { DiagnosticEpoch } from '../../core/trial-diagnostics.js';
import type { Trial } from '../../core/trial.js';
import { NonFiniteReader, NonFiniteWriter } from './nonfinite.js';
import { checkEpoch, duplicateDiagnostics, unknownTrial } from './rules.js';
import type { SqlSession } from './sql-session.js';

// The per-epoch diagnostics of the SQLite and PostgreSQL storages (migration 4; sql-session.ts).

const INSERT =
  'INSERT INTO diagnostics (trial_id, epoch, data, nonfinite) VALUES (?, ?, ?, ?) ON CONFLICT (trial_id, epoch) DO NOTHING';

/** The values of one diagnostics row: trial id, epoch, data, nonfinite. */
function rowParams(trialId: number, record: DiagnosticEpoch): unknown[] {
  const w = new NonFiniteWriter();
  const data = w.json('data', record);
  return [trialId, record.epoch, data, w.column()];
}

/** Records one epoch's diagnostics of a RUNNING trial. */
export async function insertDiagnostics(s: SqlSession, trialId: number, record: DiagnosticEpoch): Promise<void> {
  const trial = await s.get<Pick<Trial, 'id' | 'number' | 'state'>>(
    'SELECT id, number, state FROM trials WHERE id = ?',
    [trialId],
  );
  if (trial === undefined) throw unknownTrial(trialId);
  checkEpoch(trial, record);
  if ((await s.run(INSERT, rowParams(trialId, record))) === 0) throw duplicateDiagnostics(trial, record.epoch);
}

/** A trial's diagnostics per epoch, in epoch order. */
export async function readDiagnostics(s: SqlSession, trialId: number): Promise<DiagnosticEpoch[]> {
  const rows = await s.all<{ data: string; nonfinite: string | null }>(
    'SELECT data, nonfinite FROM diagnostics WHERE trial_id = ? ORDER BY epoch',
    [trialId],
  );
  return rows.map((row) => new NonFiniteReader(row.nonfinite).json<DiagnosticEpoch>('data', row.data));
}
