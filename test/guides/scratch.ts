import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, tempDir } from '../cli/helpers.js';

/** What this checkout holds that a copy needs to build, test and run (the installed dependencies are linked). */
const ENTRIES = [
  'bench',
  'bin',
  'docs',
  'experiments',
  'scripts',
  'src',
  'test',
  '.npmrc',
  'eslint.config.js',
  'package.json',
  'tsconfig.json',
  'vitest.config.ts',
];

/** A copy of this checkout in a temporary folder, its node_modules a link to this one's. */
export function scratchCopy(): string {
  const copy = tempDir('nas-guides-');
  for (const entry of ENTRIES) fs.cpSync(path.join(ROOT, entry), path.join(copy, entry), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'));
  return copy;
}

/** What a command printed, and its exit code. */
export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** This process's environment without vitest's variables (a vitest started in the copy is a run of its own). */
function childEnv(): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST'))), NO_COLOR: '1' };
}

/** Runs `node <script> …args` in `copy` (script relative to it: bin/nas.js, node_modules/typescript/bin/tsc, …). */
export function runIn(copy: string, script: string, args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(copy, script), ...args],
      { cwd: copy, env: childEnv(), maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
      },
    );
  });
}

/** The run's output for a failure message: the last `n` characters of stdout and stderr. */
export function tail(run: Run, n = 6000): string {
  return `exit ${run.code}\n--- stdout\n${run.stdout.slice(-n)}\n--- stderr\n${run.stderr.slice(-n)}`;
}
