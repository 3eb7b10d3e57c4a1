import type { OptionValues } from '../../core/options.js';
import type { SupernetOptions } from '../../space/search-space.js';

/**
 * DARTS's options; defaults are the paper's search settings (Liu et al. 2019, §3.1 and `train_search.py`),
 * except `order` (first: about 2.5× cheaper per step on CPU) and the supernet size, which is the space's own
 * unless set.
 */
export const dartsOptions = {
  order: {
    type: 'enum',
    description: 'first order (∇α L_val(w, α)) or second order (the unrolled step, eq. 7–8)',
    choices: ['first', 'second'],
    default: 'first',
  },
  epochs: {
    type: 'integer',
    description: 'search epochs over the weight half of the training split',
    min: 1,
    default: 50,
  },
  batchSize: {
    type: 'integer',
    description: 'images per weight batch and per architecture batch',
    min: 1,
    default: 64,
  },
  weightFraction: {
    type: 'number',
    description: 'share of the training split that trains w; the rest trains α',
    min: 0.05,
    max: 0.95,
    default: 0.5,
  },
  channels: { type: 'integer', description: "supernet channels C (0: the space's own)", min: 0, default: 0 },
  layers: {
    type: 'integer',
    description: "supernet cells: L for darts, N per stage for nb201 (0: the space's own)",
    min: 0,
    default: 0,
  },
  lr: {
    type: 'number',
    description: 'w: SGD learning rate at the start of the cosine schedule',
    min: 0,
    default: 0.025,
  },
  lrMin: { type: 'number', description: 'w: learning rate at the end of the cosine schedule', min: 0, default: 0.001 },
  momentum: { type: 'number', description: 'w: SGD momentum', min: 0, max: 0.999, default: 0.9 },
  weightDecay: { type: 'number', description: 'w: L2 weight decay (kernels)', min: 0, default: 3e-4 },
  clipNorm: { type: 'number', description: 'w: gradient clipping by global norm', min: 0, default: 5 },
  alphaLr: { type: 'number', description: 'α: Adam learning rate', min: 0, default: 3e-4 },
  alphaBeta1: { type: 'number', description: 'α: Adam β1', min: 0, max: 0.999, default: 0.5 },
  alphaBeta2: { type: 'number', description: 'α: Adam β2', min: 0, max: 0.9999, default: 0.999 },
  alphaWeightDecay: { type: 'number', description: 'α: L2 weight decay', min: 0, default: 1e-3 },
  finiteDifference: {
    type: 'number',
    description: 'second order: ε = this / ‖∇w′ L_val‖ in the Hessian-vector product (eq. 8)',
    min: 1e-6,
    default: 0.01,
  },
  candidates: {
    type: 'integer',
    description: "derived architectures trained afterwards: the last epoch's, then distinct ones of earlier epochs",
    min: 1,
    default: 1,
  },
  checkpointSegments: {
    type: 'integer',
    description:
      'compiled engine: gradient checkpointing of the supernet in K segments, recomputed in the backward pass (0: off)',
    min: 0,
    default: 0,
  },
  maxMemoryMiB: {
    type: 'integer',
    description: "refuse a supernet whose estimated training memory exceeds this (0: ¾ of this machine's memory)",
    min: 0,
    default: 0,
  },
} as const;

export type DartsOptions = Omit<OptionValues<typeof dartsOptions>, 'order'> & { readonly order: 'first' | 'second' };

/** The supernet size the options ask for: channels and cells where set (0 leaves the space's own). */
export function supernetSize(o: { readonly channels: number; readonly layers: number }): SupernetOptions {
  return { ...(o.channels > 0 ? { channels: o.channels } : {}), ...(o.layers > 0 ? { layers: o.layers } : {}) };
}
