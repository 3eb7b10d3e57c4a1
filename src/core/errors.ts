/**
 * The error taxonomy. A {@link UserError} is something the user can fix (bad config, missing data,
 * missing native build): it carries a hint that says what to do next. Anything else is a bug.
 */
export class UserError extends Error {
  readonly code: string;
  readonly hint: string | undefined;

  constructor(code: string, message: string, hint?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.hint = hint;
  }
}

/** The native TensorFlow backend is missing or not the one in use. */
export class NativeBackendError extends UserError {
  constructor(message: string, hint: string, options?: ErrorOptions) {
    super('NATIVE_BACKEND', message, hint, options);
  }
}

/** A data set cannot be loaded: a missing or truncated file, an unknown name, a bad option. */
export class DatasetError extends UserError {
  constructor(message: string, hint?: string, options?: ErrorOptions) {
    super('DATASET', message, hint, options);
  }
}
