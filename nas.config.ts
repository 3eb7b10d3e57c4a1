// The default experiment of `npx nas search`: a small but real search that finishes in a few
// minutes on a 2-core machine. Regularized evolution over the NAS-Bench-201 cell (one cell per
// stage, 8 channels) on 5,000 MNIST images, one epoch per trial. docs/config.md explains each field.
import { defineConfig } from 'nas';

export default defineConfig({
  name: 'quickstart',
  seed: 0,
  dataset: { name: 'mnist', subset: 5_000, validationFraction: 0.1 },
  space: { name: 'nb201', options: { cells: 1, channels: 8 } },
  strategy: { name: 'regularized-evolution', options: { populationSize: 4, sampleSize: 2 } },
  train: { epochs: 1, batchSize: 64 },
  objectives: [{ metric: 'validationAccuracy', direction: 'max' }],
  budget: { trials: 8 },
  workers: 1,
  storage: 'runs/nas.sqlite',
});
