// DARTS (Liu et al. 2019), one-shot, on Fashion-MNIST: a supernet of the DARTS cell space (every op
// on every edge, mixed by softmax(α)) trains w and α by bilevel gradient descent, then the derived
// cell is trained from scratch as an ordinary trial. Small sizes so that it runs on 2 cores:
// `npx nas search experiments/darts-oneshot.ts`. docs/strategies.md explains the options.
import { defineConfig } from 'nas';

export default defineConfig({
  name: 'darts-oneshot',
  seed: 0,
  dataset: { name: 'fashion-mnist', subset: 2_000, validationFraction: 0.1 },
  // The evaluation network of the derived cell: 5 cells of 4 nodes, 12 channels.
  space: { name: 'darts', options: { nodes: 4, layers: 5, channels: 12 } },
  // The supernet: 3 cells of 4 channels (its 42 mixed edges of 8 ops each make about 1,400 layers); half of
  // the training images train w, half train α. A second-order step takes about 12 s on 2 cores.
  strategy: { name: 'darts', options: { order: 'second', epochs: 3, batchSize: 32, channels: 4, layers: 3 } },
  train: {
    epochs: 3,
    batchSize: 64,
    optimizer: { kind: 'sgd', momentum: 0.9, weightDecay: 3e-4 },
    schedule: { kind: 'cosine', lrMax: 0.05 },
  },
  budget: { trials: 1 },
  workers: 1,
  storage: '../runs/nas.sqlite', // beside the default config's: `nas ls` lists every experiment
});
