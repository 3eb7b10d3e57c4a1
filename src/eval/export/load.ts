/**
 * Loading an exported model the way its user would: the Layers model with nas's custom layers
 * registered, a SavedModel with tfjs-node's `loadSavedModel`, a graph model with tfjs's
 * `loadGraphModel`. Used to measure each exported artefact itself (latency, accuracy).
 */
import { join } from 'node:path';
import type { LayersModel, Tensor, Tensor4D } from '@tensorflow/tfjs-node';
import { loadTf } from '../../backend/tf.js';
import { nasLayers } from '../build/layers/index.js';
import { FORMAT_LOADERS, type ExportFormat } from './formats.js';

/** A loaded model: logits of a batch (the caller disposes them). */
export type Predictor = { predict(x: Tensor4D): Tensor; dispose(): void };

/** The trained tfjs Layers model of a folder holding model.json and its weights (nas's layers registered). */
export async function loadLayersModelDir(dir: string): Promise<LayersModel> {
  nasLayers();
  return loadTf().loadLayersModel(`file://${join(dir, 'model.json')}`);
}

/** Loads format `format` from its folder (the one holding model.json, or the SavedModel's). */
export async function loadExported(format: ExportFormat, dir: string): Promise<Predictor> {
  const tf = loadTf();
  switch (FORMAT_LOADERS[format]) {
    case 'layers': {
      const model = await loadLayersModelDir(dir);
      return { predict: (x) => model.predict(x) as Tensor, dispose: () => model.dispose() };
    }
    case 'saved-model': {
      const model = await tf.node.loadSavedModel(dir);
      return { predict: (x) => model.predict(x) as Tensor, dispose: () => model.dispose() };
    }
    case 'graph-model': {
      const model = await tf.loadGraphModel(`file://${join(dir, 'model.json')}`);
      return { predict: (x) => model.predict(x) as Tensor, dispose: () => model.dispose() };
    }
  }
}
