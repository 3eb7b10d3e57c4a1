import { existsSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../core/errors.js';
import { DEFAULT_CONFIG, importConfig } from './load.js';
import { DEFAULT_STORAGE } from './resolve.js';

/**
 * The storage file a command uses: `--storage FILE` when given; else the one the default config
 * (./nas.config.ts) names, read without validating the rest of it; else `runs/nas.sqlite`.
 */
export async function storagePath(flag: string | undefined, cwd = process.cwd()): Promise<string> {
  if (flag !== undefined) return path.resolve(cwd, flag);
  const file = path.join(cwd, DEFAULT_CONFIG);
  if (!existsSync(file)) return path.resolve(cwd, DEFAULT_STORAGE);
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
  return path.resolve(cwd, typeof storage === 'string' && storage !== '' ? storage : DEFAULT_STORAGE);
}
