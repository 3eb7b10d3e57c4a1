// `nas export`: one trial of an experiment as a folder — the saved tfjs model, its architecture
// (frozen ArchSpec, sample, space) as JSON, its trial record and a short README.
import fs from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import type { Trial } from '../core/trial.js';
import { createSpace } from '../space/spaces/index.js';
import { epochsOf, loadExperiment, primaryObjective, rankTrials, readStorage, type ExperimentData } from './experiment-data.js';
import { trialModelDir } from './model-store.js';
import { exportReadme } from './export-readme.js';

/** Which trial to export: a number, or the best by the primary objective. */
export type TrialChoice = { readonly trial: number } | { readonly best: true };

/** What {@link exportTrial} wrote. */
export interface ExportResult {
  readonly trial: number;
  readonly out: string;
  readonly files: readonly string[];
}

/** Writes trial `choice` of experiment `name` (in SQLite file `storage`) into folder `out`. */
export async function exportTrial(storage: string, name: string, choice: TrialChoice, out: string): Promise<ExportResult> {
  const { data, trial, epochs } = await readStorage(storage, async (s) => {
    const data = await loadExperiment(s, storage, name);
    const trial = chooseTrial(data, choice);
    return { data, trial, epochs: await epochsOf(s, trial) };
  });
  const modelDir = trialModelDir(storage, name, trial.number);
  const modelFiles = await modelFilesIn(modelDir, trial.number);
  await fs.mkdir(out, { recursive: true });
  for (const file of modelFiles) await fs.copyFile(path.join(modelDir, file), path.join(out, file));
  const space = data.config.space;
  const searchSpace = createSpace(space.name, space.options);
  const arch = searchSpace.freeze(trial.sample as never);
  const files: Record<string, string> = {
    'architecture.json': json({ space: { name: space.name, options: space.options }, sample: trial.sample, text: searchSpace.format(trial.sample as never), key: trial.key, arch }),
    'trial.json': json({ experiment: name, number: trial.number, state: trial.state, metrics: trial.outcome?.metrics ?? {}, cost: trial.outcome?.cost ?? {}, epochs, seconds: trial.outcome?.seconds }),
    'README.md': exportReadme(data, trial),
  };
  for (const [file, text] of Object.entries(files)) await fs.writeFile(path.join(out, file), text);
  return { trial: trial.number, out, files: [...modelFiles, ...Object.keys(files)] };
}

/** The chosen trial; it must be COMPLETE. Unknown numbers and empty experiments are {@link UserError}s. */
export function chooseTrial(data: ExperimentData, choice: TrialChoice): Trial {
  const complete = data.trials.filter((t) => t.state === 'COMPLETE');
  const numbers = complete.map((t) => t.number).join(', ');
  if ('best' in choice) {
    const objective = primaryObjective(data.config);
    const best = rankTrials(data.trials, objective)[0];
    if (best === undefined) throw new UserError('NO_TRIAL', `experiment "${data.experiment.name}" has no complete trial with a value of ${objective.metric}`, 'wait for a trial to finish (`nas show` lists them)');
    return best;
  }
  const trial = data.trials.find((t) => t.number === choice.trial);
  if (trial === undefined || trial.state !== 'COMPLETE') {
    const what = trial === undefined ? `no trial ${choice.trial}` : `trial ${choice.trial} is ${trial.state}${trial.reason ? ` (${trial.reason})` : ''}`;
    throw new UserError('NO_TRIAL', `${what} in experiment "${data.experiment.name}"`, numbers ? `complete trials: ${numbers}; or --best` : 'it has no complete trial yet');
  }
  return trial;
}

/** The saved model's files (model.json and its weight shards); a missing model is a {@link UserError}. */
async function modelFilesIn(dir: string, number: number): Promise<string[]> {
  const manifest = path.join(dir, 'model.json');
  let text: string;
  try {
    text = await fs.readFile(manifest, 'utf8');
  } catch {
    throw new UserError('NO_MODEL', `trial ${number} has no saved model (looked for ${manifest})`, 'models are saved by searches run with saveModels (the default); re-run the search, or export another trial');
  }
  const groups = (JSON.parse(text) as { weightsManifest?: { paths: string[] }[] }).weightsManifest ?? [];
  return ['model.json', ...groups.flatMap((g) => g.paths)];
}

/** Pretty JSON with a final newline. */
function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
