import { UserError } from '../../core/errors.js';

/** A storage problem the user can fix: a file that is not a nas database, a schema version, a name. */
export class StorageError extends UserError {}

/** Rules of the storage that a caller broke: a bug in the caller, never the user's doing. */
export type StorageMisuse =
  | 'TRIAL_FINISHED'
  | 'TRIAL_NOT_RUNNING'
  | 'DUPLICATE_TRIAL'
  | 'DUPLICATE_EPOCH'
  | 'UNKNOWN_TRIAL'
  | 'UNKNOWN_EXPERIMENT'
  | 'INVALID_INPUT'
  | 'READONLY'
  | 'NOT_MAIN_THREAD'
  | 'CLOSED';

/** A caller broke a rule of the storage (finished a trial twice, reused a trial number, ...). */
export class StorageMisuseError extends Error {
  readonly code: StorageMisuse;

  constructor(code: StorageMisuse, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StorageMisuseError';
    this.code = code;
  }
}
