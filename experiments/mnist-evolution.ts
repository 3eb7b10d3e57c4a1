// Regularized (aging) evolution over a small ResNet/MobileNet-style macro space on MNIST.
// About 20–30 minutes on a 2-core machine: `npx nas search experiments/mnist-evolution.ts`.
import { defineConfig } from 'nas';

export default defineConfig({
  name: 'mnist-evolution',
  seed: 1,
  dataset: { name: 'mnist', subset: 10_000, validationFraction: 0.1 },
  space: {
    name: 'macro',
    options: {
      stem: 'conv3x3',
      stemChannels: 16,
      stageWidths: [16, 32, 64],
      widthMultipliers: ['0.5', '1'],
      blocks: ['basic', 'inverted_residual', 'separable'],
      kernels: [3, 5],
      expansions: [1, 4],
      depths: [1, 2],
      strides: [1, 2],
      attention: ['none', 'se'],
    },
  },
  strategy: { name: 'regularized-evolution', options: { populationSize: 10, sampleSize: 3 } },
  train: {
    epochs: 1,
    batchSize: 64,
    optimizer: { kind: 'sgd', momentum: 0.9 },
    schedule: { kind: 'cosine', lrMax: 0.05 },
  },
  budget: { trials: 40, seconds: 45 * 60 },
  workers: 1,
  trialTimeoutSeconds: 600,
  storage: '../runs/nas.sqlite', // beside the default config's: `nas ls` lists every experiment
});
