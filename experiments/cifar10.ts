// CIFAR-10 on the NAS-Bench-201 cell space (a reduced network: 2 cells per stage, 16 channels),
// with crop, flip and cutout augmentation. Needs the binary release (cifar-10-binary.tar.gz from
// https://www.cs.toronto.edu/~kriz/cifar.html) extracted to data/cifar-10-batches-bin, or anywhere:
//   CIFAR10_DIR=path/to/cifar-10-batches-bin npx nas search experiments/cifar10.ts
// A trial trains 3 epochs on 9,000 images (about 7 minutes on 2 cores): the 6-hour budget ends it.
import { defineConfig } from 'nas';

export default defineConfig({
  name: 'cifar10-nb201',
  seed: 0,
  dataset: {
    name: 'cifar10',
    options: { dir: process.env.CIFAR10_DIR ?? '../data/cifar-10-batches-bin' },
    subset: 10_000,
    validationFraction: 0.1,
    augment: { pad: 4, flip: true, cutout: 8 },
  },
  space: { name: 'nb201', options: { cells: 2, channels: 16 } },
  strategy: { name: 'regularized-evolution', options: { populationSize: 16, sampleSize: 4 } },
  train: {
    epochs: 3,
    batchSize: 128,
    optimizer: { kind: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 5e-4 },
    schedule: { kind: 'cosine', lrMax: 0.1, warmupEpochs: 0.5 },
  },
  budget: { trials: 60, seconds: 6 * 3600 },
  workers: 1,
  trialTimeoutSeconds: 1800,
  storage: '../runs/nas.sqlite', // beside the default config's: `nas ls` lists every experiment
});
