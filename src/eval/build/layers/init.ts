import type { Initializer } from '@tensorflow/tfjs-layers/dist/initializers.js';
import { loadTf } from '../../../backend/tf.js';

/** Weight initialisation of a layer: the scheme and a seed (each weight of the layer adds its index). */
export type InitConfig = { readonly scheme: 'he' | 'glorot'; readonly seed: number };

/** He (Kaiming) normal for ReLU networks, or Glorot uniform; seeded, so one seed gives one network. */
export function initializerFor(init: InitConfig, index: number): Initializer {
  const tf = loadTf();
  const seed = (init.seed + index * 7919) >>> 0;
  return init.scheme === 'he' ? tf.initializers.heNormal({ seed }) : tf.initializers.glorotUniform({ seed });
}
