// Saved models of trials that did not complete. A worker saves a trial's model before the driver
// records the trial, so a driver killed in between (or while the model was written) leaves the folder
// of a trial that the resume records as interrupted. The resume deletes such folders: the
// experiment's folder then holds the models of COMPLETE trials only.
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Trial } from '../core/trial.js';
import { experimentDir } from './model-store.js';

/** Deletes the `trial-<n>` folders of the experiment whose trial is not COMPLETE; call it when none is RUNNING. */
export async function removeStrayModels(storage: string, experiment: string, trials: readonly Trial[]): Promise<void> {
  const complete = new Set(trials.filter((t) => t.state === 'COMPLETE').map((t) => `trial-${t.number}`));
  const dir = experimentDir(storage, experiment);
  for (const entry of await readdir(dir).catch(() => [])) {
    if (/^trial-\d+$/.test(entry) && !complete.has(entry)) await rm(path.join(dir, entry), { recursive: true, force: true });
  }
}
