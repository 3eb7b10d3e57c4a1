import { defineOneShot } from '../oneshot.js';
import { dartsOptions } from './options.js';

/** Registry entry of DARTS. */
export const darts = defineOneShot({
  name: 'darts',
  kind: 'one-shot',
  description:
    'DARTS (Liu et al. 2019), one-shot: a supernet mixes every op on every edge by softmax(α); w and α learn by bilevel gradient descent (first or second order); the derived cells then train as trials',
  options: dartsOptions,
});

export { dartsOptions, supernetSize, type DartsOptions } from './options.js';
export {
  oneShotSpace,
  runDarts,
  splitForBilevel,
  type DartsHooks,
  type DartsRun,
  type OneShotSpace,
} from './search.js';
export { alphaWeights, createSupernet, supernetArch, type Supernet } from './supernet.js';
export { readCheckpoint, writeCheckpoint, type NamedArray } from '../../eval/checkpoint-file.js';
