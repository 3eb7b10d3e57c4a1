// `nas export`: one trial of an experiment as a folder — its model in the formats asked for (the saved
// tfjs Layers model, a frozen SavedModel, a tfjs graph model and their quantized forms;
// docs/inference.md "Export formats"),
// its architecture (frozen ArchSpec, sample, space) as JSON, its trial record, the variants' measured
// figures (variants.json) and a README. The export is then recorded in the experiment's event log
// (an `export` event) for `nas report`.
import fs from 'node:fs/promises';
import path from 'node:path';
import { DatasetError, UserError } from '../../../core/errors.js';
import type { Trial } from '../../../core/trial.js';
import type { ChannelStats } from '../../../backend/data/index.js';
import type { ExportInput } from './export-input.js';
import { createSpace } from '../../../space/spaces/index.js';
import { assertArch } from '../../../space/validate.js';
import { CALIBRATED_FORMATS, checkFormats, type ExportFormat } from '../../../eval/export/formats.js';
import { loadLayersModelDir } from '../../../eval/export/load.js';
import { checkCalibration, type CalibrationOptions } from '../../../eval/export/calibration-options.js';
import type { NetworkCalibration } from '../../../eval/quantize/index.js';
import type { BatchTransform, IndexedImages } from '../../../eval/train/batches.js';
import {
  epochsOf,
  loadExperiment,
  primaryObjective,
  rankTrials,
  readStorage,
  type ExperimentData,
} from '../../../run/experiment-data.js';
import { trialModelDir } from '../../../run/model-store.js';
import { noModelError } from '../../../run/model-retention.js';
import { recordExport } from './export-event.js';
import { exportReadme } from './readme.js';
import { writeVariants, type TestSet, type Variant } from './variants.js';
import { trialData } from '../../../run/worker/trial-data.js';

/** Which trial to export: a number, or the best by the primary objective. */
export type TrialChoice = { readonly trial: number } | { readonly best: true };

export type ExportOptions = {
  /** Format names (default: tfjs-layers); an unknown one is a {@link UserError}. */
  readonly formats?: readonly string[];
  /** Measure each variant's accuracy on the experiment's test set (default true). */
  readonly accuracy?: boolean;
  /** How saved-model-int8 is calibrated (ignored by the other formats); a bad value is a {@link UserError}. */
  readonly calibration?: CalibrationOptions;
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

/**
 * Writes trial `choice` of experiment `name` (in SQLite file `storage`) into folder `out`, then
 * records the export in `storage`; a storage that cannot be written then is a `StorageError`.
 */
export async function exportTrial(
  storage: string,
  name: string,
  choice: TrialChoice,
  out: string,
  options: ExportOptions = {},
): Promise<ExportResult> {
  const formats: ExportFormat[] = checkFormats(options.formats ?? []);
  const calibration = checkCalibration(options.calibration ?? {});
  const calibrate = formats.some((f) => CALIBRATED_FORMATS.includes(f)) ? calibration : undefined;
  const { data, trial, epochs } = await readStorage(storage, async (s) => {
    const data = await loadExperiment(s, storage, name);
    const trial = chooseTrial(data, choice);
    return { data, trial, epochs: await epochsOf(s, trial) };
  });
  const modelDir = trialModelDir(data.config, trial.number);
  const layersFiles = await modelFilesIn(modelDir, (manifest) =>
    noModelError(data.config, data.trials, trial.number, manifest),
  );
  await fs.mkdir(out, { recursive: true });
  const space = data.config.space;
  const searchSpace = createSpace(space.name, space.options);
  const spec = searchSpace.freeze(trial.sample as never);
  const experiment = await experimentData(data, options.accuracy ?? true, calibrate);
  const note = experiment.note === undefined ? {} : { accuracyNote: experiment.note };
  const model = await loadLayersModelDir(modelDir);
  let written: { variants: Variant[]; files: string[] };
  let input: ExportInput;
  try {
    const inputShape = model.inputs[0]?.shape.slice(1) as number[];
    const classes = model.outputs[0]?.shape.at(-1) as number;
    input = { shape: inputShape, normalization: experiment.stats };
    written = await writeVariants(
      formats,
      { arch: assertArch(spec, { inputShape, classes }), model, modelDir, layersFiles },
      out,
      experiment,
    );
  } finally {
    model.dispose();
  }
  const files: Record<string, string> = {
    'architecture.json': json({
      space: { name: space.name, options: space.options },
      sample: trial.sample,
      text: searchSpace.format(trial.sample as never),
      key: trial.key,
      arch: spec,
    }),
    'trial.json': json({
      experiment: name,
      number: trial.number,
      state: trial.state,
      metrics: trial.outcome?.metrics ?? {},
      cost: trial.outcome?.cost ?? {},
      epochs,
      seconds: trial.outcome?.seconds,
    }),
    'variants.json': json({ trial: trial.number, input, variants: written.variants, ...note }),
    'README.md': exportReadme(data, trial, { variants: written.variants, input, ...note }),
  };
  for (const [file, text] of Object.entries(files)) await fs.writeFile(path.join(out, file), text);
  await recordExport(storage, data.experiment.id, {
    trial: trial.number,
    out: path.resolve(out),
    input,
    variants: written.variants,
    ...note,
  });
  return {
    trial: trial.number,
    out,
    files: [...written.files, ...Object.keys(files)],
    variants: written.variants,
    ...note,
  };
}

type LoadedExperimentData = {
  stats: ChannelStats | null;
  test?: TestSet;
  calibration?: NetworkCalibration;
  note?: string;
};

/**
 * The normalisation the experiment's models expect (from its training split), when `measure` its
 * test set to measure the variants on, and when `calibrate` the sample of training images to
 * calibrate on (normalised as the trial's evaluation batches, not augmented). A data set that cannot
 * be loaded here leaves the test set out, with a note saying why; calibration needs it, so that is
 * then a {@link UserError}.
 */
async function experimentData(
  data: ExperimentData,
  measure: boolean,
  calibrate: Required<CalibrationOptions> | undefined,
): Promise<LoadedExperimentData> {
  let loaded;
  try {
    loaded = await trialData(data.config);
  } catch (error) {
    if (!(error instanceof DatasetError)) throw error;
    if (calibrate !== undefined)
      throw new UserError(
        'NO_CALIBRATION_DATA',
        `saved-model-int8 and saved-model-int8-kernels are calibrated on the experiment's training images, and the data set could not be loaded here: ${error.message}`,
        'export it where the data set loads, or pick the other formats (saved-model-dynamic needs no data)',
        { cause: error },
      );
    return { stats: null, note: `not measured: the data set could not be loaded here (${error.message})` };
  }
  const { train, test, transform } = loaded.data;
  const calibration =
    calibrate === undefined ? {} : { calibration: calibrationSample(train, transform?.eval, calibrate) };
  if (!measure) return { stats: loaded.stats, ...calibration, note: 'not measured (--no-accuracy)' };
  if (test === undefined || transform?.eval === undefined)
    return { stats: loaded.stats, ...calibration, note: 'not measured: the data set has no test part' };
  return { stats: loaded.stats, ...calibration, test: { part: test, transform: transform.eval } };
}

/** The first `images` of the training part (in its seeded random order, so a random sample), normalised as evaluation batches are. */
function calibrationSample(
  train: IndexedImages,
  normalize: BatchTransform | undefined,
  c: Required<CalibrationOptions>,
): NetworkCalibration {
  return {
    images: { set: train.set, indices: train.indices.subarray(0, c.images) },
    ...(normalize === undefined ? {} : { transform: normalize }),
    observer: c.observer,
  };
}

/** The chosen trial; it must be COMPLETE. Unknown numbers and empty experiments are {@link UserError}s. */
export function chooseTrial(data: ExperimentData, choice: TrialChoice): Trial {
  const complete = data.trials.filter((t) => t.state === 'COMPLETE');
  const numbers = complete.map((t) => t.number).join(', ');
  if ('best' in choice) {
    const objective = primaryObjective(data.config);
    const best = rankTrials(data.trials, objective)[0];
    if (best === undefined)
      throw new UserError(
        'NO_TRIAL',
        `experiment "${data.experiment.name}" has no complete trial with a value of ${objective.metric}`,
        'wait for a trial to finish (`nas show` lists them)',
      );
    return best;
  }
  const trial = data.trials.find((t) => t.number === choice.trial);
  if (trial === undefined || trial.state !== 'COMPLETE') {
    const what =
      trial === undefined
        ? `no trial ${choice.trial}`
        : `trial ${choice.trial} is ${trial.state}${trial.reason ? ` (${trial.reason})` : ''}`;
    throw new UserError(
      'NO_TRIAL',
      `${what} in experiment "${data.experiment.name}"`,
      numbers ? `complete trials: ${numbers}; or --best` : 'it has no complete trial yet',
    );
  }
  return trial;
}

/** The saved model's files (model.json and its weight shards); a missing model is `missing(manifest)`. */
async function modelFilesIn(dir: string, missing: (manifest: string) => UserError): Promise<string[]> {
  const manifest = path.join(dir, 'model.json');
  let text: string;
  try {
    text = await fs.readFile(manifest, 'utf8');
  } catch {
    throw missing(manifest);
  }
  const groups = (JSON.parse(text) as { weightsManifest?: { paths: string[] }[] }).weightsManifest ?? [];
  return ['model.json', ...groups.flatMap((g) => g.paths)];
}

/** Pretty JSON with a final newline. */
function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
