// A trial's part in successive halving with continuation (docs/strategies.md): it may train on from
// the state another trial saved at the rung below, and saves its own when it stops before the end
// of its schedule, so that a promotion can continue it in turn.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DISK_REFUSALS, diskRefusal } from '../../backend/storage/disk-refusal.js';
import { readTrainState, writeTrainState, type TrainSpan, type TrainState } from '../../eval/train/index.js';
import type { ExperimentConfig } from '../config.js';
import { trialStateFile } from '../model-store.js';
import { stopEpoch } from './fidelity.js';
import type { TrialTask } from './trial-task.js';

/** How much of its run a trial trains, and a note when the state it should continue from is missing. */
export type TrialSpan = { readonly span: TrainSpan; readonly note?: string };

/** The span of `task`: from its parent's state (if any), up to its rung's epoch, keeping its state there. */
export async function trialSpan(task: TrialTask, config: ExperimentConfig): Promise<TrialSpan> {
  const until = stopEpoch(task.fidelity);
  const span = { ...(until === undefined ? {} : { until, keepState: true }) };
  if (task.continues === undefined) return { span };
  const file = trialStateFile(config, task.continues);
  try {
    return { span: { ...span, resume: await readTrainState(file) } };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return {
      span,
      note: `trial ${task.continues} left no training state at ${file}: trained from the first epoch instead`,
    };
  }
}

/**
 * Saves the state a trial stopped at, for a promotion to continue. A full or read-only disk fails the
 * trial with reason `disk-full` or `read-only` (the search stops resumably), as a model's save does.
 */
export async function saveTrialState(config: ExperimentConfig, number: number, state: TrainState): Promise<void> {
  const file = trialStateFile(config, number);
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeTrainState(file, state);
  } catch (error) {
    const refusal = diskRefusal(`cannot save the trial's training state in ${file}`, error);
    if (refusal !== undefined) throw Object.assign(refusal, { reason: DISK_REFUSALS[refusal.code] });
    throw error;
  }
}
