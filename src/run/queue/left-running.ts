import type { Trial } from '../../core/trial.js';
import { INTERRUPTED, type Storage } from '../../backend/storage/index.js';
import type { QueueDispatcher } from './dispatcher.js';

/**
 * On resume, the trials the dead driver left RUNNING: without a queue all are marked `interrupted`
 * (they run again); with one, a trial whose job is still in the queue (waiting, running or done)
 * is returned to be waited for, and only the others are marked.
 */
export async function attachOrInterrupt(
  storage: Storage,
  experimentId: number,
  dispatcher: QueueDispatcher | undefined,
): Promise<readonly Trial[]> {
  if (dispatcher === undefined) {
    await storage.markInterrupted(experimentId);
    return [];
  }
  const attached: Trial[] = [];
  for (const trial of await storage.listTrials(experimentId)) {
    if (trial.state !== 'RUNNING') continue;
    if (await dispatcher.has(trial.id)) attached.push(trial);
    else await storage.finishTrial(trial.id, INTERRUPTED);
  }
  return attached;
}
