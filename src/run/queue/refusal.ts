import { datasetFingerprint } from '../worker/data-fingerprint.js';
import { nasVersion, type QueueJob } from './protocol.js';

/** Why this worker cannot run a job (another nas version, other data), or undefined. */
export async function refusalOf(job: QueueJob): Promise<string | undefined> {
  const mine = nasVersion();
  if (job.version !== mine) return `the driver runs nas ${job.version}, this worker ${mine}`;
  const dataset = job.task.config.dataset;
  let fingerprint: string;
  try {
    fingerprint = await datasetFingerprint(dataset);
  } catch (error) {
    return `cannot load data set ${dataset.name} here: ${(error as Error).message}`;
  }
  if (fingerprint !== job.fingerprint)
    return `data set ${dataset.name} differs here (fingerprint ${fingerprint.slice(0, 19)}…, the driver's ${job.fingerprint.slice(0, 19)}…)`;
  return undefined;
}
