import { LayerwiseSpace } from '../../../../src/space/spaces/layerwise/index.js';
import { LAYERWISE_OPS } from '../../../../src/space/spaces/layerwise/sample.js';
import { describeSpaceContract } from '../contract.js';

describeSpaceContract(
  'layerwise (defaults: 12 layers, 32 channels, sum)',
  () => new LayerwiseSpace({ layers: 12, channels: 32, ops: LAYERWISE_OPS, reductions: [3, 7], merge: 'sum' }),
  {
    garbage: [{ layers: [] }, { layers: [{ op: 'conv3x3', skips: [] }] }, { layers: 'conv3x3' }],
  },
);

describeSpaceContract(
  'layerwise (5 layers, concat, two ops, reductions after 0 and 2)',
  () =>
    new LayerwiseSpace({
      layers: 5,
      channels: 8,
      ops: ['sepconv5x5', 'maxpool3x3'],
      reductions: [0, 2],
      merge: 'concat',
    }),
  {
    garbage: [
      {
        layers: [
          { op: 'conv3x3', skips: [] },
          { op: 'maxpool3x3', skips: [false] },
          { op: 'maxpool3x3', skips: [false, false] },
          { op: 'maxpool3x3', skips: [false, false, false] },
          { op: 'maxpool3x3', skips: [false, false, false, false] },
        ],
      },
    ],
  },
);
