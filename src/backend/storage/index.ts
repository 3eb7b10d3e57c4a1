// The storage module: one interface, a SQLite file, a PostgreSQL database and an in-memory twin (docs/storage.md).
export type {
  Experiment,
  ExperimentLease,
  ExperimentStatus,
  ExperimentSummary,
  LeaseClaim,
  LeaseClaimant,
  NewEvent,
  NewExperiment,
  NewTrial,
  StaleReason,
  Storage,
  StoredEvent,
  StrategySnapshot,
  TrialResult,
} from './storage.js';
export { EXPERIMENT_STATUSES, TRIAL_STATES } from './storage.js';
export { StorageError, StorageMisuseError, type StorageMisuse } from './errors.js';
export { MemoryStorage } from './memory-storage.js';
export { openSqliteStorage, type SqliteStorageOptions } from './sqlite-open.js';
export { openStorage, type StorageOptions } from './open.js';
export { isPostgresUrl, postgresUrlProblem, shownLocation } from './location.js';
export { INTERRUPTED } from './records.js';
export { staleReason } from './lease-rules.js';
