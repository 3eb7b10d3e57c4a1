import { createHash } from 'node:crypto';
import type { ImageSet } from '../../core/data.js';
import { loadDataset } from '../../backend/data/index.js';
import type { ExperimentConfig } from '../config.js';

const cache = new Map<string, Promise<string>>();

/**
 * A hash of the data a trial reads: the data set as loaded (every image and label of its train and
 * test parts, its class count), so two machines agree exactly when their files decode to the same
 * data. A queued trial carries the driver's; a `nas worker` refuses it when its own differs.
 * Computed once per data set and options in a process.
 */
export function datasetFingerprint(dataset: ExperimentConfig['dataset']): Promise<string> {
  const key = JSON.stringify([dataset.name, dataset.options]);
  let computing = cache.get(key);
  if (computing === undefined) {
    computing = fingerprintOf(dataset);
    cache.set(key, computing);
    computing.catch(() => cache.delete(key)); // a data set that failed to load is tried again next time
  }
  return computing;
}

async function fingerprintOf(dataset: ExperimentConfig['dataset']): Promise<string> {
  const loaded = await loadDataset(dataset.name, dataset.options);
  const hash = createHash('sha256').update(JSON.stringify([loaded.name, loaded.numClasses]));
  for (const set of [loaded.train, loaded.test]) addSet(hash, set);
  return `sha256:${hash.digest('hex')}`;
}

function addSet(hash: ReturnType<typeof createHash>, set: ImageSet): void {
  hash.update(JSON.stringify([set.count, set.shape]));
  hash.update(new Uint8Array(set.images.buffer, set.images.byteOffset, set.images.byteLength));
  hash.update(new Uint8Array(set.labels.buffer, set.labels.byteOffset, set.labels.byteLength));
}
