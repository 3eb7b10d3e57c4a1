import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createJiti } from 'jiti';
import type { ExperimentConfig } from '../../run/config.js';
import { UserError } from '../../core/errors.js';
import { ConfigError } from './problems.js';
import { resolveConfig, withOverrides, type Overrides } from './resolve.js';
import { validateConfig } from './validate.js';

/** The config `nas search` loads when given none, in the working directory. */
export const DEFAULT_CONFIG = 'nas.config.ts';

/** A config file's path as messages show it: relative to the working directory when inside it. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/**
 * Imports a TypeScript (or JavaScript) config file without a build step (jiti) and returns its
 * default export, unchecked. A missing file, a file that throws, or one without a default export is
 * a {@link UserError} that says what to do.
 */
export async function importConfig(file: string): Promise<unknown> {
  const absolute = path.resolve(file);
  const shown = displayPath(absolute);
  if (!existsSync(absolute) || !statSync(absolute).isFile()) {
    throw new UserError(
      'CONFIG_MISSING',
      `there is no config file at ${shown}`,
      'pass one (e.g. `nas search experiments/mnist-evolution.ts`) or write nas.config.ts; docs/config.md shows how',
    );
  }
  // `import { defineConfig } from 'nas'` resolves to this copy of nas, wherever the file lives.
  const alias = { nas: fileURLToPath(new URL('./index.ts', import.meta.url)) };
  const jiti = createJiti(import.meta.url, { moduleCache: false, fsCache: false, interopDefault: false, alias });
  let module: Record<string, unknown>;
  try {
    module = (await jiti.import(absolute)) as Record<string, unknown>;
  } catch (cause) {
    const first = (cause as Error).message?.split('\n')[0] ?? String(cause);
    throw new UserError(
      'CONFIG_LOAD',
      `${shown} could not be loaded: ${first}`,
      'fix the error in the file (`npx tsc --noEmit` type-checks it too)',
      { cause },
    );
  }
  if (!('default' in module) || module.default === undefined) {
    throw new ConfigError(shown, [
      { path: '', message: 'expected a default export (`export default defineConfig({...})`), got none' },
    ]);
  }
  return module.default;
}

/**
 * Loads, validates and resolves a config file into the frozen ExperimentConfig the engine runs:
 * `overrides` (command-line flags) replace the file's values before validation. Every problem is
 * reported at once in one {@link ConfigError}; nothing is written anywhere.
 */
export async function loadConfig(file: string, overrides: Overrides = {}): Promise<ExperimentConfig> {
  const absolute = path.resolve(file);
  const raw = withOverrides(await importConfig(absolute), overrides);
  const dir = path.dirname(absolute);
  return resolveConfig(validateConfig(raw, displayPath(absolute), dir), dir);
}
