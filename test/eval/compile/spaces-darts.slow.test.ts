// 20 seeded DARTS-space samples, compiled against the eager builder (space-samples.ts).
import { createSpace } from '../../../src/space/spaces/index.js';
import { describeSamples, samples } from './space-samples.js';

describeSamples(
  'darts',
  samples('darts', [createSpace('darts', { layers: 3, nodes: 4, channels: 4 })], [32, 32, 3], 'darts'),
);
