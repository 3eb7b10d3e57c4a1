// Which training states stay on disk (successive halving with continuation: src/run/worker/continuation.ts).
// A trial stopped at a rung saves its state for a promotion to continue; the state of a trial that
// did not complete can never be continued, nor can that of a trial whose promotion completed (a
// sample is promoted from a rung once), so both are deleted, as are the temporary files of a write
// that a kill cut short. States of COMPLETE trials not promoted yet stay: ASHA may promote a trial
// long after it finished, and a resumed search goes on from them.
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Trial } from '../core/trial.js';
import type { ExperimentPlace } from './model-store.js';
import { trialStateFile, trialStatesDir } from './model-store.js';

/** The trial numbers whose saved state can no longer be continued. */
export function spentStates(trials: readonly Trial[]): number[] {
  const continuedBy = new Set(trials.filter((t) => t.state === 'COMPLETE').flatMap((t) => t.continues ?? []));
  return trials
    .filter((t) => t.state !== 'RUNNING' && (t.state !== 'COMPLETE' || continuedBy.has(t.number)))
    .map((t) => t.number);
}

export class StateRetention {
  private readonly deleted = new Set<number>();
  private swept = false;

  constructor(private readonly place: ExperimentPlace) {}

  /** Deletes the spent states among `trials`' (and, the first time, what killed writes left). */
  async prune(trials: readonly Trial[]): Promise<void> {
    if (!this.swept) {
      this.swept = true; // before any trial of this run writes: a temporary file is a dead write's
      await this.removeTemporary();
    }
    for (const number of spentStates(trials)) {
      if (this.deleted.has(number)) continue;
      // NOTE: a file that cannot be deleted only stays on disk; the next resume tries again.
      await rm(trialStateFile(this.place, number), { force: true }).catch(() => undefined);
      this.deleted.add(number);
    }
  }

  private async removeTemporary(): Promise<void> {
    const dir = trialStatesDir(this.place);
    const files = await readdir(dir).catch(() => [] as string[]);
    for (const f of files.filter((name) => name.endsWith('.tmp')))
      await rm(path.join(dir, f), { force: true }).catch(() => undefined);
  }
}
