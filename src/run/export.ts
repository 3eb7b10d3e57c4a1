// `nas export`: one trial of an experiment as a folder — its model in the formats asked for (the saved
// tfjs Layers model, a frozen SavedModel, a tfjs graph model; docs/inference.md "Export formats"),
// its architecture (frozen ArchSpec, sample, space) as JSON, its trial record, the variants' measured
// figures (variants.json) and a README. The export is then recorded in the experiment's event log
// (an `export` event) for `nas report`.
import fs from 'node:fs/promises';
import path from 'node:path';
import { DatasetError, UserError } from '../core/errors.js';
import type { Trial } from '../core/trial.js';
import type { ChannelStats } from '../backend/data/index.js';
import { createSpace } from '../space/spaces/index.js';
import { assertArch } from '../space/validate.js';
import { checkFormats, type ExportFormat } from '../eval/export/formats.js';
import { loadLayersModelDir } from '../eval/export/load.js';
import { epochsOf, loadExperiment, primaryObjective, rankTrials, readStorage, type ExperimentData } from './experiment-data.js';
import { trialModelDir } from './model-store.js';
import { recordExport } from './export-event.js';
import { exportReadme } from './export-readme.js';
import { writeVariants, type TestSet, type Variant } from './export-variants.js';
import { trialData } from './trial-data.js';

/** Which trial to export: a number, or the best by the primary objective. */
export type TrialChoice = { readonly trial: number } | { readonly best: true };

export type ExportOptions = {
  /** Format names (default: tfjs-layers); an unknown one is a {@link UserError}. */
  readonly formats?: readonly string[];
  /** Measure each variant's accuracy on the experiment's test set (default true). */
  readonly accuracy?: boolean;
};

/** What {@link exportTrial} wrote. */
export interface ExportResult {
  readonly trial: number;
  readonly out: string;
  /** Every file written, relative to `out` (a SavedModel's empty variables/ folder ends in "/"). */
  readonly files: readonly string[];
  readonly variants: readonly Variant[];
  /** Why the variants' accuracy was not measured, if it was not. */
  readonly accuracyNote?: string;
}

/** What the exported models expect: the input shape and the normalisation of pixel values in [0, 1]. */
export type ExportInput = { readonly shape: readonly number[]; readonly normalization: ChannelStats | null };

/**
 * Writes trial `choice` of experiment `name` (in SQLite file `storage`) into folder `out`, then
 * records the export in `storage`; a storage that cannot be written then is a `StorageError`.
 */
export async function exportTrial(storage: string, name: string, choice: TrialChoice, out: string, options: ExportOptions = {}): Promise<ExportResult> {
  const formats: ExportFormat[] = checkFormats(options.formats ?? []);
  const { data, trial, epochs } = await readStorage(storage, async (s) => {
    const data = await loadExperiment(s, storage, name);
    const trial = chooseTrial(data, choice);
    return { data, trial, epochs: await epochsOf(s, trial) };
  });
  const modelDir = trialModelDir(storage, name, trial.number);
  const layersFiles = await modelFilesIn(modelDir, trial.number);
  await fs.mkdir(out, { recursive: true });
  const space = data.config.space;
  const searchSpace = createSpace(space.name, space.options);
  const spec = searchSpace.freeze(trial.sample as never);
  const experiment = await experimentData(data, options.accuracy ?? true);
  const note = experiment.note === undefined ? {} : { accuracyNote: experiment.note };
  const model = await loadLayersModelDir(modelDir);
  let written: { variants: Variant[]; files: string[] };
  let input: ExportInput;
  try {
    const inputShape = model.inputs[0]?.shape.slice(1) as number[];
    const classes = model.outputs[0]?.shape.at(-1) as number;
    input = { shape: inputShape, normalization: experiment.stats };
    written = await writeVariants(formats, { arch: assertArch(spec, { inputShape, classes }), model, modelDir, layersFiles }, out, experiment.test);
  } finally {
    model.dispose();
  }
  const files: Record<string, string> = {
    'architecture.json': json({ space: { name: space.name, options: space.options }, sample: trial.sample, text: searchSpace.format(trial.sample as never), key: trial.key, arch: spec }),
    'trial.json': json({ experiment: name, number: trial.number, state: trial.state, metrics: trial.outcome?.metrics ?? {}, cost: trial.outcome?.cost ?? {}, epochs, seconds: trial.outcome?.seconds }),
    'variants.json': json({ trial: trial.number, input, variants: written.variants, ...note }),
    'README.md': exportReadme(data, trial, { variants: written.variants, input, ...note }),
  };
  for (const [file, text] of Object.entries(files)) await fs.writeFile(path.join(out, file), text);
  await recordExport(storage, data.experiment.id, { trial: trial.number, out: path.resolve(out), input, variants: written.variants, ...note });
  return { trial: trial.number, out, files: [...written.files, ...Object.keys(files)], variants: written.variants, ...note };
}

/**
 * The normalisation the experiment's models expect (from its training split) and, when `measure`,
 * its test set to measure the variants on. A data set that cannot be loaded here leaves both out,
 * with a note saying why.
 */
async function experimentData(data: ExperimentData, measure: boolean): Promise<{ stats: ChannelStats | null; test?: TestSet; note?: string }> {
  let loaded;
  try {
    loaded = await trialData(data.config);
  } catch (error) {
    if (error instanceof DatasetError) return { stats: null, note: `not measured: the data set could not be loaded here (${error.message})` };
    throw error;
  }
  const { test, transform } = loaded.data;
  if (!measure) return { stats: loaded.stats, note: 'not measured (--no-accuracy)' };
  if (test === undefined || transform?.eval === undefined) return { stats: loaded.stats, note: 'not measured: the data set has no test part' };
  return { stats: loaded.stats, test: { part: test, transform: transform.eval } };
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
