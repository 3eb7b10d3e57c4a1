import { loadTf } from '../../../backend/tf.js';
import { defineConvLayer } from './conv.js';
import { defineDeconvLayer } from './deconv.js';
import { defineDropPathLayer } from './drop-path.js';
import { defineFusedBatchNorm } from './fused-batch-norm.js';
import { defineMixLayer } from './mix.js';
import { definePoolLayer } from './pool.js';
import { defineSmallLayers } from './small.js';

export type { ConvConfig } from './conv.js';
export type { DeconvConfig } from './deconv.js';
export type { PoolConfig } from './pool.js';
export type { InitConfig } from './init.js';
export { fusedBatchNormTraining } from './fused-batch-norm.js';

function define() {
  const small = defineSmallLayers();
  const classes = {
    NasConv: defineConvLayer(),
    NasConvTranspose: defineDeconvLayer(),
    NasPool: definePoolLayer(),
    FusedBatchNorm: defineFusedBatchNorm(),
    NasDropPath: defineDropPathLayer(),
    ...small,
  };
  for (const cls of Object.values(classes)) loadTf().serialization.registerClass(cls);
  return { ...classes, NasMix: defineMixLayer() };
}

let defined: ReturnType<typeof define> | undefined;

/** The custom layers, defined and registered for (de)serialization once the native backend is loaded. */
export function nasLayers(): ReturnType<typeof define> {
  defined ??= define();
  return defined;
}
