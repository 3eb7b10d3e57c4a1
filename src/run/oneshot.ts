// The one-shot phase of a search (docs/conventions.md, *One-shot strategies have their own
// contract*): check the supernet's memory, train it in one isolated worker, record every epoch (α,
// losses, the derived architecture, the checkpoint file) as events, and hand the derived
// architectures to the trial path.
import { readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Json } from '../core/arch.js';
import { UserError } from '../core/errors.js';
import type { OneShotEpoch, OneShotStart } from '../core/events.js';
import { checkOptions, resolveOptions } from '../core/options.js';
import { findSpace } from '../space/spaces/index.js';
import { findDataset, resolveDatasetOptions } from '../backend/data/index.js';
import { IsolatedPool } from '../backend/pool/isolated-pool.js';
import type { EntryOf } from '../backend/pool/protocol.js';
import type { Storage } from '../backend/storage/index.js';
import { planThreads } from '../backend/tf.js';
import { dartsOptions, type DartsOptions } from '../search/darts/index.js';
import { checkedSupernet } from '../search/darts/memory.js';
import type { SearchSpace } from '../space/search-space.js';
import type { ExperimentConfig } from './config.js';
import { oneShotDir } from './model-store.js';
import type runOneShotTask from './worker/oneshot-worker.js';
import type { OneShotMessage, OneShotTask } from './worker/oneshot-worker.js';
import type { SearchHooks } from './search-hooks.js';

const ONESHOT_WORKER: EntryOf<typeof runOneShotTask> = {
  url: new URL('./worker/oneshot-worker.ts', import.meta.url).href,
};

/** An epoch as stored: the record and the checkpoint file written after it. */
export type StoredOneShotEpoch = OneShotEpoch & { readonly checkpoint: string };

/** How the phase ended, and the derived architectures to train (newest first, distinct). */
export type OneShotPhase = { readonly status: 'finished' | 'stopped'; readonly candidates: readonly Json[] };

/** The recorded epochs of an experiment's one-shot phase, in order (a resumed epoch replaces an earlier copy). */
export async function storedEpochs(storage: Storage, experimentId: number): Promise<StoredOneShotEpoch[]> {
  const byEpoch = new Map<number, StoredOneShotEpoch>();
  for (const e of await storage.listEvents(experimentId, { type: 'oneshot-epoch' })) {
    const record = e.payload as StoredOneShotEpoch; // as record() below stores it
    byEpoch.set(record.epoch, record);
  }
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}

/** Up to `count` distinct derived architectures, the last epoch's first, then earlier epochs' going back. */
export function derivedCandidates(space: SearchSpace, epochs: readonly OneShotEpoch[], count: number): Json[] {
  const seen = new Set<string>();
  const out: Json[] = [];
  for (const e of [...epochs].reverse()) {
    const key = space.key(e.derived);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e.derived);
    if (out.length === count) break;
  }
  return out;
}

/** The space's own supernet size (its channels and cells, defaults filled), for the memory message. */
function spaceSize(config: ExperimentConfig): { channels: number; layers: number } {
  const options = checkOptions(findSpace(config.space.name).options, config.space.options).values as {
    channels?: number;
    layers?: number;
    cells?: number;
  };
  return { channels: options.channels ?? 0, layers: options.layers ?? options.cells ?? 0 };
}

/**
 * Runs or continues the one-shot phase: from the epoch after the last recorded one, or not at all
 * when every epoch is recorded. A stop aborts the epoch in progress (the last recorded one is the
 * checkpoint a resume starts from).
 */
export async function runOneShotPhase(
  storage: Storage,
  experimentId: number,
  config: ExperimentConfig,
  space: SearchSpace,
  hooks: SearchHooks,
): Promise<OneShotPhase> {
  const options = resolveOptions(
    dartsOptions,
    config.strategy.options,
    `strategy "${config.strategy.name}"`,
  ) as DartsOptions;
  const dataset = findDataset(config.dataset.name);
  const datasetOptions = resolveDatasetOptions(config.dataset.name, config.dataset.options);
  const data = { inputShape: dataset.shape(datasetOptions), classes: dataset.numClasses(datasetOptions) };
  const limit = options.maxMemoryMiB > 0 ? options.maxMemoryMiB * 2 ** 20 : 0.75 * os.totalmem();
  const { bytes } = checkedSupernet(space, options, config.train?.engine ?? 'compiled', data, limit, spaceSize(config));
  const last = (await storedEpochs(storage, experimentId)).at(-1);
  await removeStrayCheckpoints(oneShotDir(config), last);
  if (last === undefined || last.epoch < options.epochs) {
    const cells = space.relaxation?.().cells ?? [];
    const start: OneShotStart = {
      strategy: config.strategy.name,
      order: options.order,
      epochs: options.epochs,
      startEpoch: (last?.epoch ?? 0) + 1,
      cells,
      estimatedMemoryBytes: bytes,
    };
    await storage.appendEvent(experimentId, { type: 'oneshot-started', payload: start });
    hooks.emit({ type: 'oneshot-started', t: Date.now(), start });
    const task: OneShotTask = {
      config,
      options,
      dir: oneShotDir(config),
      ...(last === undefined ? {} : { resumeFrom: last.checkpoint }),
    };
    if ((await trainSupernet(storage, experimentId, task, last?.checkpoint, hooks)) === 'stopped')
      return { status: 'stopped', candidates: [] };
  }
  return {
    status: 'finished',
    candidates: derivedCandidates(space, await storedEpochs(storage, experimentId), options.candidates),
  };
}

/**
 * Leaves in the checkpoint folder only the checkpoint of the last recorded epoch. A search killed
 * while the worker wrote a checkpoint (its temporary file), after it wrote one but before the epoch
 * was recorded, or before the previous one was deleted, leaves files no resume reads.
 */
async function removeStrayCheckpoints(dir: string, last: StoredOneShotEpoch | undefined): Promise<void> {
  const keep = last === undefined ? undefined : path.basename(last.checkpoint);
  for (const file of await readdir(dir).catch(() => []))
    if (file !== keep) await rm(path.join(dir, file), { recursive: true, force: true });
}

async function trainSupernet(
  storage: Storage,
  experimentId: number,
  task: OneShotTask,
  previous: string | undefined,
  hooks: SearchHooks,
): Promise<'finished' | 'stopped'> {
  const pool = new IsolatedPool({ workerEntry: ONESHOT_WORKER, workers: 1, threads: planThreads(1) });
  const controller = new AbortController();
  hooks.stop?.onStop(() => controller.abort());
  let older = previous;
  let writes = Promise.resolve();
  const record = async (m: Extract<OneShotMessage, { kind: 'epoch' }>): Promise<void> => {
    await storage.appendEvent(experimentId, {
      type: 'oneshot-epoch',
      payload: { ...m.record, checkpoint: m.checkpoint },
    });
    if (older !== undefined && older !== m.checkpoint) await rm(older, { force: true });
    older = m.checkpoint;
    hooks.emit({ type: 'oneshot-epoch', t: Date.now(), epoch: m.record });
  };
  try {
    const outcome = await pool.run(task, {
      signal: controller.signal,
      onProgress: (m) => {
        if (m.kind === 'batch')
          hooks.emit({ type: 'oneshot-progress', t: Date.now(), epoch: m.epoch, fraction: m.fraction, loss: m.loss });
        else writes = writes.then(() => record(m));
      },
    });
    await writes;
    if (outcome.ok) return 'finished';
    if (outcome.kind === 'cancelled') return 'stopped';
    const reason = outcome.error.reason === undefined ? outcome.kind : outcome.error.reason;
    throw new UserError(
      'ONESHOT_FAILED',
      `DARTS supernet training failed (${reason}): ${outcome.error.message}`,
      'the epochs recorded before it are kept; `nas resume` continues from the last one (docs/strategies.md, DARTS)',
    );
  } finally {
    await pool.close();
  }
}
