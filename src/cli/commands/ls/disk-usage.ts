// What an experiment takes on disk in its folder (`nas ls`): its saved models (`trial-<n>/`), its
// one-shot checkpoints (`oneshot/`) and training states (`states/`); and the SQLite file itself, shared by all.
// Sizes are the files' lengths in bytes (what deleting them gives back, give or take a block each).
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { isPostgresUrl } from '../../../backend/storage/index.js';
import { experimentDir, oneShotDir, trialStatesDir, type ExperimentPlace } from '../../../run/model-store.js';

/** Bytes of an experiment's saved models, and of its checkpoints: one-shot ones and training states. */
export interface ExperimentDisk {
  readonly models: number;
  readonly checkpoints: number;
}

/** The bytes of an experiment's saved models and checkpoints in its folder; 0 when it has none. */
export async function experimentDisk(place: ExperimentPlace): Promise<ExperimentDisk> {
  const dir = experimentDir(place);
  const trials = (await entries(dir)).filter((e) => e.isDirectory() && /^trial-\d+$/.test(e.name));
  const models = await Promise.all(trials.map((e) => treeBytes(path.join(dir, e.name))));
  const checkpoints = (await treeBytes(oneShotDir(place))) + (await treeBytes(trialStatesDir(place)));
  return { models: models.reduce((a, b) => a + b, 0), checkpoints };
}

/** The bytes of the SQLite file with its -wal and -shm files; null for a PostgreSQL database (on its server). */
export async function storageBytes(location: string): Promise<number | null> {
  if (isPostgresUrl(location)) return null;
  const file = location;
  const sizes = await Promise.all([file, `${file}-wal`, `${file}-shm`].map((f) => fileBytes(f)));
  return sizes.reduce((a, b) => a + b, 0);
}

/** The bytes of every file under `dir` (0 when it does not exist). */
async function treeBytes(dir: string): Promise<number> {
  let total = 0;
  for (const e of await entries(dir)) {
    const full = path.join(dir, e.name);
    total += e.isDirectory() ? await treeBytes(full) : e.isFile() ? await fileBytes(full) : 0;
  }
  return total;
}

async function entries(dir: string) {
  return readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
}

async function fileBytes(file: string): Promise<number> {
  return lstat(file).then(
    (s) => s.size,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return 0;
      throw error;
    },
  );
}
