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

/** An architecture (ArchSpec) is invalid; carries every issue found, each with its node path. */
export class ArchError extends UserError {
  readonly issues: readonly { readonly path: string; readonly message: string }[];

  constructor(issues: readonly { readonly path: string; readonly message: string }[], what = 'architecture') {
    const n = issues.length;
    const lines = issues.map((i) => `  • ${i.path}: ${i.message}`);
    super(
      'ARCH',
      [`${what} is invalid (${n} problem${n === 1 ? '' : 's'})`, ...lines].join('\n'),
      '`nas list ops` lists every op with its attributes; docs/cost-model.md states the shape rules',
    );
    this.issues = issues;
  }
}

/** Options of a registry entry (data set, space, strategy) are invalid; the message lists every problem. */
export class OptionsError extends UserError {
  constructor(message: string, hint?: string, options?: ErrorOptions) {
    super('OPTIONS', message, hint, options);
  }
}
