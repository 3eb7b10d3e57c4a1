// REINFORCE with an LSTM controller (Zoph & Le 2017) over the DARTS cell space, on Fashion-MNIST,
// with a small network around the cells (4 cells, 8 channels, 3 nodes per cell) so that a trial
// trains in about a minute on 2 cores: `npx nas search experiments/fashion-darts.ts`.
import { defineConfig } from 'nas';

export default defineConfig({
  name: 'fashion-darts',
  seed: 2,
  dataset: { name: 'fashion-mnist', subset: 6_000, validationFraction: 0.15 },
  space: {
    name: 'darts',
    options: {
      nodes: 3,
      layers: 4,
      channels: 8,
      ops: ['max_pool_3x3', 'avg_pool_3x3', 'skip_connect', 'sep_conv_3x3', 'dil_conv_3x3'],
    },
  },
  strategy: { name: 'reinforce', options: { batchSize: 4, learningRate: 0.02 } },
  train: { epochs: 1, batchSize: 64, optimizer: { kind: 'adam' }, schedule: { kind: 'cosine', lrMax: 3e-3 } },
  budget: { trials: 24, seconds: 40 * 60 },
  workers: 1,
  trialTimeoutSeconds: 600,
  storage: '../runs/nas.sqlite', // beside the default config's: `nas ls` lists every experiment
});
