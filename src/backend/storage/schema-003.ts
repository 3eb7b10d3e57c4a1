// Migration 3: the owner lease of each experiment (docs/storage.md, "Owner lease"): the one driver
// allowed to write it, and when that driver last showed it is alive. A row exists while it is held.

/** SQL of migration 3. */
export const SCHEMA_003 = `
CREATE TABLE leases (
  experiment_id INTEGER PRIMARY KEY REFERENCES experiments (id) ON DELETE CASCADE,
  host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  token TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL
);
`;

/** Migration 3 in PostgreSQL. */
export const SCHEMA_003_POSTGRES = `
CREATE TABLE leases (
  experiment_id BIGINT PRIMARY KEY REFERENCES experiments (id) ON DELETE CASCADE,
  host TEXT NOT NULL,
  pid BIGINT NOT NULL,
  token TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  heartbeat_at BIGINT NOT NULL
);
`;
