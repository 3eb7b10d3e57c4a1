// Temporary SavedModel folders (saved-model.ts) exist only while a compiled network loads, but a
// process killed then (SIGKILL, the OOM killer, a native abort) leaves its folder behind. Each folder's
// name carries the id of the process that made it; the first load in a process deletes the folders
// of processes that are gone.
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processAlive } from '../../core/process-alive.js';

let swept: Promise<void> | undefined;

/** Folders in the temporary directory named `<prefix><pid>-…` whose process no longer runs: deleted once per process. */
export function removeStaleFolders(prefix: string): Promise<void> {
  swept ??= sweep(prefix);
  return swept;
}

async function sweep(prefix: string): Promise<void> {
  const dir = tmpdir();
  for (const entry of await readdir(dir).catch(() => [])) {
    const pid = entry.startsWith(prefix) ? /^(\d+)-/.exec(entry.slice(prefix.length))?.[1] : undefined;
    if (pid !== undefined && !processAlive(Number(pid)))
      await rm(join(dir, entry), { recursive: true, force: true }).catch(() => undefined);
  }
}
