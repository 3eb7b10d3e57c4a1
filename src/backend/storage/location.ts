// Where a storage lives: a SQLite file's path or a PostgreSQL URL (docs/storage.md), and how
// messages and listings show it: never with the URL's password.

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

/** Whether `location` is a PostgreSQL URL (`postgres://…` or `postgresql://…`), not a SQLite file's path. */
export function isPostgresUrl(location: string): boolean {
  return POSTGRES_URL.test(location);
}

/**
 * `location` as messages, listings and stored configs show it: a URL without its password (that of
 * `user:password@`, and a `password=` parameter's value as `***`); a path as it is.
 */
export function shownLocation(location: string): string {
  const scheme = POSTGRES_URL.exec(location)?.[0];
  if (scheme === undefined) return location;
  let rest = location.slice(scheme.length);
  const at = rest.lastIndexOf('@'); // the user part ends at the last @: a password may hold one, a host cannot
  if (at >= 0) rest = `${rest.slice(0, at).split(':')[0] ?? ''}${rest.slice(at)}`;
  return scheme + rest.replace(/([?&]password=)[^&#]*/gi, '$1***');
}

/** What is wrong with a PostgreSQL URL as a URL (the server is not asked), or undefined when it parses. */
export function postgresUrlProblem(url: string): string | undefined {
  try {
    if (new URL(url).hostname === '' && !/[?&]host=/.test(url)) return 'a host in the PostgreSQL URL';
    return undefined;
  } catch {
    return 'a PostgreSQL URL that parses: postgres://user:password@host:port/database (a password with @, :, / or % in it percent-encoded: %40, %3A, %2F, %25)';
  }
}
