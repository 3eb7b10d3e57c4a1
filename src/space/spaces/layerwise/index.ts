import type { OptionValues } from '../../../core/options.js';
import { defineSpace } from '../../search-space.js';
import { LAYERWISE_OPS, type LayerwiseOp } from './sample.js';
import { LayerwiseSpace } from './space.js';

export { layerwiseNetwork, type LayerwiseNetwork } from './network.js';
export { LAYERWISE_OPS, type LayerChoice, type LayerwiseOp, type LayerwiseSample } from './sample.js';
export { LayerwiseSpace, type LayerwiseConfig } from './space.js';

const options = {
  layers: { type: 'integer', description: 'number of searched layers (L)', min: 1, default: 12 },
  channels: {
    type: 'integer',
    description: 'channels of the first stage, doubled at each reduction (C)',
    min: 1,
    default: 32,
  },
  ops: { type: 'subset', description: 'ops a layer chooses from', choices: LAYERWISE_OPS, default: LAYERWISE_OPS },
  reductions: {
    type: 'integers',
    description: 'layer indices after which the resolution halves (ENAS: ⌊L/3⌋−1, 2⌊L/3⌋−1)',
    min: 0,
    default: [3, 7],
  },
  merge: {
    type: 'enum',
    description: 'how skips join: sum + BN (ENAS search) or concat + ReLU-1×1 conv-BN (ENAS fixed arc)',
    choices: ['sum', 'concat'],
    default: 'sum',
  },
} as const;

/** The layer-wise (ENAS macro) space: per layer an op and skip connections from earlier layers. */
export const layerwiseSpace = defineSpace({
  name: 'layerwise',
  description:
    'ENAS macro space: L layers, each an op (conv / sep conv 3×3, 5×5, max / avg pool) plus skips from any earlier layer',
  options,
  create: (o: OptionValues<typeof options>) =>
    new LayerwiseSpace({
      layers: o.layers,
      channels: o.channels,
      ops: o.ops as readonly LayerwiseOp[],
      reductions: o.reductions,
      merge: o.merge as 'sum' | 'concat',
    }),
});
