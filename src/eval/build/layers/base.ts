import { loadTf } from '../../../backend/tf.js';

/** tfjs's Layer class, available once the native backend is loaded (custom layers extend it). */
export function layerBase() {
  return loadTf().layers.Layer;
}
