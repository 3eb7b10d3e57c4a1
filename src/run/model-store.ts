// Where an experiment's files live (saved models, training states, one-shot checkpoints, TensorBoard runs): one folder
// per experiment in the artifacts folder, which is the config's `artifacts`, else the SQLite file's
// folder (`<artifacts>/<experiment>/trial-<number>/model.json` + weights.bin; docs/storage.md).
import path from 'node:path';
import { isPostgresUrl } from '../backend/storage/location.js';
import type { ExperimentConfig, KeepModels } from './config.js';

/** What locates an experiment's folder: its name, its storage and the artifacts folder, if the config names one. */
export type ExperimentPlace = Pick<ExperimentConfig, 'name' | 'storage' | 'artifacts'>;

/**
 * The folder that holds the experiments' folders: the config's `artifacts`; else beside the SQLite
 * file; for a PostgreSQL URL stored without one, `runs/` of the working directory.
 */
export function artifactsDir(place: Pick<ExperimentConfig, 'storage' | 'artifacts'>): string {
  if (place.artifacts !== undefined) return place.artifacts;
  return isPostgresUrl(place.storage) ? path.resolve('runs') : path.dirname(place.storage);
}

/** The folder of an experiment's saved models and checkpoints (`<artifacts>/<experiment>/`). */
export function experimentDir(place: ExperimentPlace): string {
  return path.join(artifactsDir(place), safeName(place.name));
}

/** The folder of trial `number`'s saved model. */
export function trialModelDir(place: ExperimentPlace, number: number): string {
  return path.join(experimentDir(place), `trial-${number}`);
}

/**
 * The training state trial `number` saved at its rung, which a promotion continues from
 * (`<artifacts>/<experiment>/states/trial-<number>.ckpt`; not in the model's folder, which
 * keepModels may delete).
 */
export function trialStateFile(place: ExperimentPlace, number: number): string {
  return path.join(trialStatesDir(place), `trial-${number}.ckpt`);
}

/** The folder of an experiment's training states (`<artifacts>/<experiment>/states/`). */
export function trialStatesDir(place: ExperimentPlace): string {
  return path.join(experimentDir(place), 'states');
}

/** An experiment name as one path segment (separators and `..` replaced). */
function safeName(name: string): string {
  const cleaned = name.replace(/[/\\:]/g, '_');
  return cleaned === '.' || cleaned === '..' || cleaned === '' ? `_${cleaned}` : cleaned;
}

/** The folder of an experiment's one-shot checkpoints (`<artifacts>/<experiment>/oneshot/`). */
export function oneShotDir(place: ExperimentPlace): string {
  return path.join(experimentDir(place), 'oneshot');
}

/** The experiment's keepModels, for configs stored before it too (their `saveModels: false` is 'none'). */
export function keepModelsOf(config: Pick<ExperimentConfig, 'keepModels' | 'saveModels'>): KeepModels {
  return config.keepModels ?? (config.saveModels === false ? 'none' : 'all');
}
