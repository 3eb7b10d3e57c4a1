import { existsSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../core/errors.js';
import { isPostgresUrl, shownLocation } from '../../backend/storage/index.js';
import { DEFAULT_CONFIG, displayPath, importConfig } from './load.js';
import { DEFAULT_STORAGE } from './resolve.js';

/** The `--storage` option of the commands that read or write experiments. */
export const STORAGE_OPTION = {
  flags: '--storage <location>',
  description:
    'the SQLite file, or a PostgreSQL URL postgres://user:password@host:port/database (default: the one ./nas.config.ts names, else runs/nas.sqlite)',
} as const;

/**
 * The storage a command uses (a SQLite file's absolute path, or a PostgreSQL URL): `--storage` when
 * given; else the one the default config (./nas.config.ts) names, read without validating the rest
 * of it; else `runs/nas.sqlite`.
 */
export async function storagePath(flag: string | undefined, cwd = process.cwd()): Promise<string> {
  if (flag !== undefined) return located(flag, cwd);
  const file = path.join(cwd, DEFAULT_CONFIG);
  if (!existsSync(file)) return located(DEFAULT_STORAGE, cwd);
  const raw = await importConfig(file).catch((error: unknown) => {
    if (error instanceof UserError)
      throw new UserError(
        error.code,
        `${error.message} (read for its storage path)`,
        `${error.hint ?? ''}; or pass --storage FILE`,
        { cause: error },
      );
    throw error;
  });
  const storage = (raw as { storage?: unknown } | null)?.storage;
  return located(typeof storage === 'string' && storage !== '' ? storage : DEFAULT_STORAGE, cwd);
}

/** A storage as the commands show it: a URL without its password, a path relative to the working directory when inside it. */
export function displayStorage(location: string): string {
  return isPostgresUrl(location) ? shownLocation(location) : displayPath(location);
}

function located(location: string, cwd: string): string {
  return isPostgresUrl(location) ? location : path.resolve(cwd, location);
}
