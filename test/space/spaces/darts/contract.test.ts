import { resolveOptions } from '../../../../src/core/options.js';
import { createDarts, dartsSpace } from '../../../../src/space/spaces/darts/index.js';
import { describeSpaceContract } from '../contract.js';

const make = (given: Record<string, unknown>) => () => createDarts(resolveOptions(dartsSpace.options, given, 'darts'));

describeSpaceContract('darts (defaults: B=4, L=8, C=16, DARTS ops)', make({}), {
  garbage: [
    { normal: [], reduce: [] },
    {
      normal: [
        ['sep_conv_3x3', 0],
        ['sep_conv_3x3', 0],
      ],
      reduce: [
        ['sep_conv_3x3', 0],
        ['sep_conv_3x3', 1],
      ],
    },
    {
      normal: [
        ['none', 0],
        ['none', 1],
      ],
      reduce: [
        ['none', 0],
        ['none', 1],
      ],
    },
  ],
});

describeSpaceContract(
  'darts (B=2, L=3, C=4, ops: skip_connect, conv_7x1_1x7)',
  make({ nodes: 2, layers: 3, channels: 4, ops: ['none', 'skip_connect', 'conv_7x1_1x7'] }),
  {
    inputShape: [16, 16, 3],
  },
);
