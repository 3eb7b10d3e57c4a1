import { UserError } from '../../core/errors.js';
import type { ExperimentSummary, Storage } from '../../backend/storage/index.js';
import type { Trial } from '../../core/trial.js';
import { displayStorage } from '../config/loader.js';

/** The experiment called `name` with its trials; an unknown name is a {@link UserError} listing the known ones. */
export async function findExperiment(
  storage: Storage,
  file: string,
  name: string,
): Promise<{ summary: ExperimentSummary; trials: readonly Trial[] }> {
  const all = await storage.listExperiments();
  const summary = all.find((e) => e.name === name);
  if (summary === undefined) {
    const known = all.map((e) => e.name);
    throw new UserError(
      'NO_EXPERIMENT',
      `no experiment "${name}" in ${displayStorage(file)}`,
      known.length > 0
        ? `experiments there: ${known.join(', ')} (\`nas ls\`); another file: --storage FILE`
        : 'it has no experiments yet; start one with `nas search` (or pass --storage FILE)',
    );
  }
  return { summary, trials: await storage.listTrials(summary.id) };
}
