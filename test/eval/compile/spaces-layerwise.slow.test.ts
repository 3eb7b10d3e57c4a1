// 20 seeded layer-wise samples (both merge modes in turn), compiled against the eager builder (space-samples.ts).
import { createSpace } from '../../../src/space/spaces/index.js';
import { describeSamples, samples } from './space-samples.js';

const spaces = (['sum', 'concat'] as const).map((merge) =>
  createSpace('layerwise', { layers: 6, channels: 4, reductions: [1, 3], merge }),
);
describeSamples('layerwise', samples('layerwise', spaces, [28, 28, 1], 'layerwise'));
