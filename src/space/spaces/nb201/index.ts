import type { OptionValues } from '../../../core/options.js';
import { defineSpace } from '../../search-space.js';
import { Nb201Space } from './space.js';

export { benchmarkIndexOf, sampleAtBenchmarkIndex } from './benchmark-order.js';
export {
  NB201_OPS,
  NB201_SIZE,
  fromBenchmarkString,
  fromProductIndex,
  productIndex,
  toBenchmarkString,
  type Nb201Op,
  type Nb201Sample,
} from './conversions.js';
export { nb201FunctionKey } from './isomorphism.js';
export { nb201Network, type Nb201Network } from './network.js';
export { Nb201Space } from './space.js';

const options = {
  cells: { type: 'integer', description: 'cells per stage (N); the benchmark uses 5', min: 1, default: 5 },
  channels: {
    type: 'integer',
    description: 'channels of the first stage (C; then 2C, 4C); the benchmark uses 16',
    min: 1,
    default: 16,
  },
} as const;

/** NAS-Bench-201 (Dong & Yang, ICLR 2020): the 15,625-cell space inside the benchmark's network. */
export const nb201Space = defineSpace({
  name: 'nb201',
  description:
    'NAS-Bench-201 cell: 4 nodes, 6 edges, 5 ops (15,625 cells) in the benchmark network (N cells per stage, C/2C/4C channels)',
  options,
  create: (o: OptionValues<typeof options>) => new Nb201Space({ cells: o.cells, channels: o.channels }),
});
