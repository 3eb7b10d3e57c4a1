// Training diagnostics on a real search: every trial's gradient norms, dead ReLUs and BatchNorm
// statistics, the flags they raise, and TensorBoard files (docs/training.md, *Diagnostics*).
// Random macro networks at a high learning rate, so that some of them raise flags.
// About 5 minutes on a 2-core machine: `npx nas search experiments/mnist-diagnostics.ts`, then
// `npx nas report mnist-diagnostics` and `tensorboard --logdir runs/mnist-diagnostics/tensorboard`.
import { defineConfig } from 'nas';

export default defineConfig({
  name: 'mnist-diagnostics',
  seed: 3,
  dataset: { name: 'mnist', subset: 4_000, validationFraction: 0.1 },
  space: {
    name: 'macro',
    options: {
      stem: 'conv3x3',
      stemChannels: 8,
      stageWidths: [8, 16, 32],
      widthMultipliers: ['1'],
      blocks: ['basic', 'separable', 'inverted_residual'],
      kernels: [3],
      expansions: [1, 4],
      depths: [1, 2, 3],
      strides: [1, 2],
      attention: ['none', 'se'],
    },
  },
  strategy: { name: 'random' },
  train: {
    epochs: 2,
    batchSize: 64,
    optimizer: { kind: 'sgd', momentum: 0.9 },
    schedule: { kind: 'cosine', lrMax: 0.1 },
    diagnostics: { every: 10 },
  },
  tensorboard: true,
  budget: { trials: 12 },
  workers: 1,
  storage: '../runs/nas.sqlite', // beside the default config's: `nas ls` lists every experiment
});
