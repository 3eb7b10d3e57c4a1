// 20 seeded NB201 samples, compiled against the eager builder (space-samples.ts).
import { createSpace } from '../../../src/space/spaces/index.js';
import { describeSamples, samples } from './space-samples.js';

describeSamples('nb201', samples('nb201', [createSpace('nb201', { cells: 1, channels: 4 })], [32, 32, 3], 'nb201'));
