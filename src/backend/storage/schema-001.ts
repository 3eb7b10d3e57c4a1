// Migration 1: the first schema. Times are integer ms since 1970; JSON columns hold text; every
// table that holds numbers has a `nonfinite` column (see nonfinite.ts: where NaN and ±Infinity were).

/** SQL of migration 1. */
export const SCHEMA_001 = `
CREATE TABLE experiments (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  config TEXT NOT NULL,
  seed INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'stopped', 'finished', 'failed')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  nonfinite TEXT
);

CREATE TABLE trials (
  id INTEGER PRIMARY KEY,
  experiment_id INTEGER NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
  number INTEGER NOT NULL,
  sample TEXT NOT NULL,
  key TEXT NOT NULL,
  fidelity TEXT,
  retry_of INTEGER,
  worker TEXT,
  state TEXT NOT NULL CHECK (state IN ('RUNNING', 'COMPLETE', 'FAILED', 'PRUNED')),
  reason TEXT,
  message TEXT,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  seconds REAL,
  params INTEGER,
  params_total INTEGER,
  macs INTEGER,
  train_memory_bytes INTEGER,
  inference_memory_bytes INTEGER,
  estimated_latency_ms REAL,
  measured_latency_ms REAL,
  metrics TEXT,
  diagnostics TEXT,
  nonfinite TEXT,
  UNIQUE (experiment_id, number),
  CHECK ((state = 'RUNNING') = (finished_at IS NULL)),
  CHECK ((state = 'FAILED') = (reason IS NOT NULL))
);
CREATE INDEX trials_by_state ON trials (experiment_id, state);
CREATE INDEX trials_by_key ON trials (experiment_id, key);

CREATE TABLE epochs (
  trial_id INTEGER NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
  epoch INTEGER NOT NULL,
  train_loss REAL,
  train_accuracy REAL,
  validation_loss REAL,
  validation_accuracy REAL,
  learning_rate REAL,
  seconds REAL,
  nonfinite TEXT,
  PRIMARY KEY (trial_id, epoch)
) WITHOUT ROWID;

CREATE TABLE strategy_states (
  id INTEGER PRIMARY KEY,
  experiment_id INTEGER NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
  after_trial INTEGER NOT NULL,
  state TEXT NOT NULL,
  saved_at INTEGER NOT NULL,
  nonfinite TEXT
);
CREATE INDEX strategy_states_by_experiment ON strategy_states (experiment_id, id);

CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  experiment_id INTEGER NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  payload TEXT NOT NULL,
  at INTEGER NOT NULL,
  nonfinite TEXT
);
CREATE INDEX events_by_experiment ON events (experiment_id, type, id);
`;
