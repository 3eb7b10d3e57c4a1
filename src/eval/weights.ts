/**
 * A model's weights as plain arrays keyed by their tfjs `originalName` (`<layer>/<weight>`, the layer
 * names of `layerNames` in build/build-model.ts), for rewriting them outside TensorFlow (fold.ts).
 */
import type { LayersModel } from '@tensorflow/tfjs-node';
import { loadTf } from '../backend/tf.js';

/** One weight: its shape and its values, row-major. */
export type WeightArray = { readonly shape: readonly number[]; readonly data: Float32Array };

/** Every weight of a model (moving statistics included), copied out, by `originalName`. */
export function modelWeights(model: LayersModel): Map<string, WeightArray> {
  return new Map(
    model.weights.map((w) => [
      w.originalName,
      { shape: [...w.shape] as number[], data: Float32Array.from(w.read().dataSync() as Float32Array) },
    ]),
  );
}

/**
 * Sets every weight of a model from `weights` by `originalName`. Throws, before writing anything, if
 * a weight of the model is missing or has another shape, or an entry names no weight of the model.
 */
export function setModelWeights(model: LayersModel, weights: ReadonlyMap<string, WeightArray>): void {
  const tf = loadTf();
  const problems: string[] = [];
  const names = new Set(model.weights.map((w) => w.originalName));
  for (const w of model.weights) {
    const value = weights.get(w.originalName);
    if (value === undefined) problems.push(`${w.originalName}: missing`);
    else if (value.shape.join(',') !== w.shape.join(',') || value.data.length !== w.read().size) {
      problems.push(
        `${w.originalName}: shape [${value.shape.join(', ')}] (${value.data.length} values), expected [${w.shape.join(', ')}]`,
      );
    }
  }
  for (const name of weights.keys()) if (!names.has(name)) problems.push(`${name}: the model has no such weight`);
  if (problems.length > 0) throw new Error(`cannot set the weights of model "${model.name}": ${problems.join('; ')}`);
  for (const w of model.weights) {
    const value = weights.get(w.originalName) as WeightArray;
    const t = tf.tensor(value.data, [...value.shape], 'float32');
    w.write(t);
    t.dispose();
  }
}
