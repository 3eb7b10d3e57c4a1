/**
 * A frozen graph as a TensorFlow SavedModel: saved_model.pb (tag "serve", one signature
 * `serving_default`: x → logits) and an empty variables/ folder. The weights are constants of the
 * graph, so there is no checkpoint to restore: TensorFlow's loaders log that there are no variables
 * and run the graph as it is. variables/ is there only because TensorFlow's own exports always have
 * one; tfjs-node and Python's tf.saved_model.load load the model without it too.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FrozenGraph } from '../compile/frozen.js';
import { savedModelBytes } from '../compile/saved-model.js';

/** The signature TensorFlow's loaders and TF Serving pick by default. */
export const SERVING_SIGNATURE = 'serving_default';

export function frozenSavedModelBytes(frozen: FrozenGraph): Uint8Array {
  return savedModelBytes(frozen, {
    [SERVING_SIGNATURE]: { inputs: { x: frozen.input }, outputs: { logits: frozen.logits } },
  });
}

/** Writes the SavedModel into `dir` (created if missing); returns its entries. */
export async function writeFrozenSavedModel(frozen: FrozenGraph, dir: string): Promise<string[]> {
  await mkdir(join(dir, 'variables'), { recursive: true });
  await writeFile(join(dir, 'saved_model.pb'), frozenSavedModelBytes(frozen));
  return ['saved_model.pb', 'variables/'];
}
