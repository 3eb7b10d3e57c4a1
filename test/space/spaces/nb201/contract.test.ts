import { Nb201Space } from '../../../../src/space/spaces/nb201/index.js';
import { describeSpaceContract } from '../contract.js';

describeSpaceContract('nb201 (benchmark network, N=5, C=16)', () => new Nb201Space({ cells: 5, channels: 16 }), {
  garbage: [
    { node1: ['none'], node2: ['none', 'none'] },
    { node1: ['none'], node2: ['none', 'none'], node3: ['none', 'none', 'none'], node4: [] },
    { node1: 'none', node2: ['none', 'none'], node3: ['none', 'none', 'none'] },
    { node1: [3], node2: ['none', 'none'], node3: ['none', 'none', 'none'] },
  ],
});
