// 20 seeded macro-space samples, compiled against the eager builder (space-samples.ts).
import { createSpace } from '../../../src/space/spaces/index.js';
import { describeSamples, samples } from './space-samples.js';

const space = createSpace('macro', {
  stem: 'conv3x3',
  stemChannels: 8,
  stageWidths: [8, 16, 16],
  widthMultipliers: ['0.5', '1'],
  divisor: 4,
  kernels: [3, 5],
  expansions: [1, 2, 4],
  depths: [1, 2],
  strides: [1, 2],
  head: 'classifier',
});
describeSamples('macro', samples('macro', [space], [28, 28, 1], 'macro'));
