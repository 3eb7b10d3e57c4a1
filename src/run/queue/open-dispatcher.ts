import type { Experiment } from '../../backend/storage/index.js';
import type { ExperimentConfig } from '../config.js';
import { datasetFingerprint } from '../worker/data-fingerprint.js';
import { QueueDispatcher } from './dispatcher.js';

/** The queue dispatcher of an experiment whose config sets `dispatch`, else undefined (the local pool runs its trials). */
export async function openDispatcher(
  config: ExperimentConfig,
  experiment: Experiment,
): Promise<QueueDispatcher | undefined> {
  if (config.dispatch === undefined) return undefined;
  const fingerprint = await datasetFingerprint(config.dataset);
  return QueueDispatcher.open({
    url: config.dispatch.queue,
    inflight: config.dispatch.inflight ?? config.workers,
    experiment,
    fingerprint,
  });
}

/** The config with its trials sent to the queue at `url` (the `--queue` flag of search and resume). */
export function withQueue(config: ExperimentConfig, url: string): ExperimentConfig {
  return { ...config, dispatch: { ...config.dispatch, queue: url } };
}
