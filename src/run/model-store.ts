// Where a trained trial's tfjs model lives: beside the storage file, one folder per experiment and
// trial (`<dir of storage>/<experiment>/trial-<number>/model.json` + weights.bin).
import path from 'node:path';
import type { ExperimentConfig, KeepModels } from './config.js';

/** The folder of an experiment's saved models and checkpoints (`<dir of storage>/<experiment>/`). */
export function experimentDir(storage: string, experiment: string): string {
  return path.join(path.dirname(storage), safeName(experiment));
}

/** The folder of trial `number`'s saved model, from the storage file and the experiment name. */
export function trialModelDir(storage: string, experiment: string, number: number): string {
  return path.join(experimentDir(storage, experiment), `trial-${number}`);
}

/** An experiment name as one path segment (separators and `..` replaced). */
function safeName(name: string): string {
  const cleaned = name.replace(/[/\\:]/g, '_');
  return cleaned === '.' || cleaned === '..' || cleaned === '' ? `_${cleaned}` : cleaned;
}

/** The folder of an experiment's one-shot checkpoints (`<dir of storage>/<experiment>/oneshot/`). */
export function oneShotDir(storage: string, experiment: string): string {
  return path.join(experimentDir(storage, experiment), 'oneshot');
}

/** The experiment's keepModels, for configs stored before it too (their `saveModels: false` is 'none'). */
export function keepModelsOf(config: Pick<ExperimentConfig, 'keepModels' | 'saveModels'>): KeepModels {
  return config.keepModels ?? (config.saveModels === false ? 'none' : 'all');
}
