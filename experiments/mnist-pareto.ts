// Two objectives, accuracy against compute: maximise validation accuracy, minimise MACs, with no
// candidate over 5 M MACs (the cost model rejects those before training). Evolution selects by
// NSGA-II Pareto rank; `nas show mnist-pareto` prints the front.
//   npx nas search experiments/mnist-pareto.ts
import { defineConfig } from 'nas';

export default defineConfig({
  name: 'mnist-pareto',
  seed: 3,
  dataset: { name: 'mnist', subset: 8_000, validationFraction: 0.1 },
  space: {
    name: 'macro',
    options: {
      stem: 'conv3x3',
      stemChannels: 8,
      stageWidths: [16, 32, 64],
      widthMultipliers: ['0.5', '1', '2'],
      blocks: ['basic', 'inverted_residual', 'separable'],
      kernels: [3, 5],
      expansions: [1, 4],
      depths: [1, 2],
      strides: [2],
      attention: ['none'],
    },
  },
  strategy: { name: 'regularized-evolution', options: { populationSize: 8, sampleSize: 3, selection: 'pareto' } },
  train: { epochs: 1, batchSize: 64 },
  objectives: [
    { metric: 'validationAccuracy', direction: 'max' },
    { metric: 'macs', direction: 'min' },
  ],
  constraints: { maxMacs: 5e6 },
  budget: { trials: 30, seconds: 30 * 60 },
  workers: 1,
  storage: '../runs/nas.sqlite', // beside the default config's: `nas ls` lists every experiment
});
