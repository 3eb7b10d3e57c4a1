// The worker entry of a one-shot search (a Piscina task in the pool host): load the experiment's data,
// build the supernet, run DARTS from the start or a checkpoint, and after each epoch write a checkpoint
// file and report the epoch. The host records it; a killed search resumes from the last recorded one.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { WorkerTask } from '../../backend/pool/protocol.js';
import type { OneShotEpoch } from '../../core/events.js';
import {
  oneShotSpace,
  readCheckpoint,
  runDarts,
  supernetArch,
  supernetSize,
  writeCheckpoint,
  type DartsOptions,
} from '../../search/darts/index.js';
import type { ExperimentConfig } from '../config.js';
import { experimentSpace } from '../experiment-space.js';
import { trialData } from './trial-data.js';

/** What the host sends: the experiment, the resolved DARTS options, where checkpoints go and which to resume. */
export interface OneShotTask {
  readonly config: ExperimentConfig;
  readonly options: DartsOptions;
  readonly dir: string;
  readonly resumeFrom?: string;
}

/** What the worker posts: progress within an epoch, or a finished epoch with its checkpoint file. */
export type OneShotMessage =
  | { readonly kind: 'batch'; readonly epoch: number; readonly fraction: number; readonly loss: number }
  | { readonly kind: 'epoch'; readonly record: OneShotEpoch; readonly checkpoint: string };

/** How supernet training ended: every epoch ran, or a stop ended it after the last recorded epoch. */
export type OneShotResult = { readonly status: 'finished' | 'stopped' };

export default async function runOneShotTask({
  payload: task,
  port,
}: WorkerTask<OneShotTask, OneShotMessage>): Promise<OneShotResult> {
  const { config, options } = task;
  const { data, numClasses, shape } = await trialData(config);
  const space = experimentSpace(config);
  const arch = supernetArch(space, supernetSize(options), { inputShape: shape, classes: numClasses });
  await mkdir(task.dir, { recursive: true });
  const resume = task.resumeFrom === undefined ? undefined : await readCheckpoint(task.resumeFrom);
  const status = await runDarts(
    {
      space: oneShotSpace(space),
      arch,
      options,
      data,
      seed: config.seed,
      ...(resume === undefined ? {} : { resume }),
      peakMemory: () => process.resourceUsage().maxRSS * 1024,
      engine: config.train?.engine ?? 'compiled',
    },
    {
      onProgress: (epoch, fraction, loss) => port.postMessage({ kind: 'batch', epoch, fraction, loss }),
      onEpoch: async (record, state) => {
        const checkpoint = path.join(task.dir, `epoch-${record.epoch}.ckpt`);
        const { meta, arrays } = state();
        await writeCheckpoint(checkpoint, meta, arrays);
        port.postMessage({ kind: 'epoch', record, checkpoint });
      },
    },
  );
  return { status };
}
