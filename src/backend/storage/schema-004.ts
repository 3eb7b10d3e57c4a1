// Migration 4: a trial's training diagnostics, one row per epoch (docs/storage.md, "Diagnostics"):
// the checks made in the epoch, the histograms of its end and the flags it raised, as JSON; the
// trial's own `diagnostics` column keeps the check interval and the flags.

/** SQL of migration 4. */
export const SCHEMA_004 = `
CREATE TABLE diagnostics (
  trial_id INTEGER NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
  epoch INTEGER NOT NULL,
  data TEXT NOT NULL,
  nonfinite TEXT,
  PRIMARY KEY (trial_id, epoch)
);
`;

/** Migration 4 in PostgreSQL. */
export const SCHEMA_004_POSTGRES = `
CREATE TABLE diagnostics (
  trial_id BIGINT NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
  epoch BIGINT NOT NULL,
  data JSON NOT NULL,
  nonfinite JSON,
  PRIMARY KEY (trial_id, epoch)
);
`;
