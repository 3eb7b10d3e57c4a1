import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The public entry a config file imports, as an absolute path (temp folders cannot resolve `nas`). */
export const ENTRY = path.join(ROOT, 'src/cli/config/index.ts');

/** A fresh temp folder. */
export function tempDir(prefix = 'nas-cli-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes a config file `name` into `dir` whose default export is `body` (TypeScript source of an object). */
export function writeConfig(dir: string, name: string, body: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    `import { defineConfig } from ${JSON.stringify(ENTRY)};\n\nexport default defineConfig(${body} as never);\n`,
  );
  return file;
}

/** What a run of the real `nas` command printed, and its exit code. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `node bin/nas.js …args` in `cwd` (not a terminal: stdout is a pipe); `checkout`: another
 * copy of nas to run, `env`: variables added to the environment.
 */
export function runCli(
  args: readonly string[],
  cwd = ROOT,
  { checkout = ROOT, env = {} }: { checkout?: string; env?: Record<string, string> } = {},
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(checkout, 'bin/nas.js'), ...args],
      { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
