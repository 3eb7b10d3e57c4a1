import type { LayersModel } from '@tensorflow/tfjs-node';
import type { ImageShape } from '../core/data.js';
import { loadTf } from '../backend/tf.js';

/**
 * A small LeNet-style CNN (conv3×3-32, max-pool, conv3×3-64, max-pool, dense-128, dense-K): the
 * fixed baseline that checks the native backend trains correctly and fast, before any search.
 * Weights are initialised from `seed`.
 */
export function buildBaselineCnn(inputShape: ImageShape, numClasses: number, seed: number): LayersModel {
  const tf = loadTf();
  let next = seed;
  const init = () => tf.initializers.heNormal({ seed: next++ });
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [...inputShape],
        filters: 32,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(),
      }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init() }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 128, activation: 'relu', kernelInitializer: init() }),
      tf.layers.dense({ units: numClasses, activation: 'softmax', kernelInitializer: init() }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
