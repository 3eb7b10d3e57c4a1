// What a killed `nas` run left behind, read without changing anything: the trials and the strategy
// snapshot in its SQLite file, the one-shot epochs and checkpoint files, the trials' model folders,
// an export folder and the temporary folder. `describeState` says it in a few words for the table.
import fs from 'node:fs';
import path from 'node:path';
import { openSqliteStorage } from '../../src/backend/storage/index.js';
import type { Trial } from '../../src/core/trial.js';
import { EXPORT_EVENT } from '../../src/cli/commands/export/export-event.js';
import { oneShotDir, trialModelDir } from '../../src/run/model-store.js';
import { storedEpochs } from '../../src/run/oneshot.js';

export interface RunState {
  readonly trials: readonly Trial[];
  /** The number of the proposal the latest strategy snapshot holds as not recorded yet, if any. */
  readonly proposed: number | undefined;
  readonly epochs: readonly number[];
  /** Files of the one-shot checkpoint folder, and the checkpoint of the last recorded epoch. */
  readonly checkpoints: readonly string[];
  readonly lastCheckpoint: string | undefined;
  /** Model folders (trial-<n>) and the numbers of the trials whose folder holds a whole model. */
  readonly modelFolders: readonly string[];
  readonly exports: number;
  /** Whether an export folder was looked at, and its files. */
  readonly exportDir: boolean;
  readonly exportFiles: readonly string[];
  /** Entries of the runs' temporary folder that nas made (compiled models). */
  readonly temporary: readonly string[];
}

/** Where to look: the storage file, the experiment, the runs' TMPDIR, and an export folder if any. */
export type Where = {
  readonly storage: string;
  readonly name: string;
  readonly tmp: string;
  readonly exportDir?: string;
};

export async function inspectRun(w: Where): Promise<RunState> {
  const storage = await openSqliteStorage(w.storage, { readonly: true });
  try {
    const experiment = await storage.getExperiment(w.name);
    const id = experiment?.id ?? -1;
    const trials = experiment === undefined ? [] : await storage.listTrials(id);
    const snapshot = experiment === undefined ? undefined : await storage.latestStrategyState(id);
    const proposed = (snapshot?.state as { unrecorded?: { number: number } } | undefined)?.unrecorded?.number;
    const epochs = experiment === undefined ? [] : await storedEpochs(storage, id);
    const exports = experiment === undefined ? 0 : (await storage.listEvents(id, { type: EXPORT_EVENT })).length;
    const modelRoot = path.dirname(trialModelDir(w, 0));
    return {
      trials,
      proposed,
      epochs: epochs.map((e) => e.epoch),
      checkpoints: list(oneShotDir(w)),
      lastCheckpoint:
        epochs.at(-1)?.checkpoint === undefined ? undefined : path.basename(epochs.at(-1)?.checkpoint as string),
      modelFolders: list(modelRoot).filter((f) => f.startsWith('trial-')),
      exports,
      exportDir: w.exportDir !== undefined,
      exportFiles: w.exportDir === undefined ? [] : listTree(w.exportDir),
      temporary: list(w.tmp).filter((f) => f.startsWith('nas-')),
    };
  } finally {
    await storage.close();
  }
}

/** The folder's entries, sorted; none when it does not exist. */
export function list(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

/** Every file under `dir`, relative, sorted. */
export function listTree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .sort();
}

/** Model folders of trials that are not COMPLETE, or that lack a whole model (model.json and weights.bin). */
export function orphanModelFolders(s: RunState, modelRoot: string): string[] {
  const complete = new Set(s.trials.filter((t) => t.state === 'COMPLETE').map((t) => `trial-${t.number}`));
  return s.modelFolders.filter(
    (f) => !complete.has(f) || !['model.json', 'weights.bin'].every((m) => fs.existsSync(path.join(modelRoot, f, m))),
  );
}

/** Files no finished run would leave: model folders of unfinished trials, checkpoints but the last recorded one, temporary files. */
export function strayFiles(s: RunState, modelRoot: string): string[] {
  return [...orphanModelFolders(s, modelRoot), ...s.checkpoints.filter((f) => f !== s.lastCheckpoint), ...s.temporary];
}

/** The state in words: trials by state, the snapshot against the trials, epochs and stray files. */
export function describeState(s: RunState, modelRoot: string): string {
  const parts: string[] = [];
  if (s.exportDir)
    return [
      `export folder ${s.exportFiles.length} files, ${s.exports} recorded`,
      ...(s.temporary.length > 0 ? [`temporary: ${s.temporary.join(', ')}`] : []),
    ].join('; ');
  const complete = s.trials.filter((t) => t.state === 'COMPLETE').length;
  const running = s.trials.filter((t) => t.state === 'RUNNING').map((t) => `#${t.number}`);
  const failed = s.trials.filter((t) => t.state === 'FAILED').length;
  if (s.trials.length > 0 || s.epochs.length === 0)
    parts.push(
      `${complete} complete${failed > 0 ? `, ${failed} failed` : ''}${running.length > 0 ? `, RUNNING ${running.join(' ')}` : ''}`,
    );
  if (s.proposed !== undefined && !s.trials.some((t) => t.number === s.proposed))
    parts.push(`proposal #${s.proposed} in the snapshot, not recorded`);
  if (s.epochs.length > 0) parts.push(`epochs 1–${s.epochs.at(-1)} recorded`);
  const strayCheckpoints = s.checkpoints.filter((f) => f !== s.lastCheckpoint);
  if (strayCheckpoints.length > 0) parts.push(`unrecorded or old checkpoint files: ${strayCheckpoints.join(', ')}`);
  const orphans = orphanModelFolders(s, modelRoot);
  if (orphans.length > 0) parts.push(`model folders of unfinished trials: ${orphans.join(', ')}`);
  if (s.temporary.length > 0) parts.push(`temporary: ${s.temporary.join(', ')}`);
  return parts.join('; ');
}
