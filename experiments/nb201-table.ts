// TPE on NAS-Bench-201, answered from the benchmark's table instead of training: hundreds of trials
// in seconds. Bring your own copy of the table (CSV `index,arch,<metric columns…>`, e.g. the
// CIFAR-10 test accuracies) at data/nb201-cifar10.csv, or pass its path:
//   NB201_TABLE=path/to/nb201-cifar10.csv npx nas search experiments/nb201-table.ts
import { defineConfig } from 'nas';

export default defineConfig({
  name: 'nb201-table-tpe',
  seed: 0,
  // The table answers every trial; the data set only states the input (CIFAR-10's 32×32×3, 10
  // classes) for the cost figures and constraints. Nothing is loaded.
  dataset: { name: 'synthetic', options: { height: 32, width: 32, channels: 3, classes: 10 } },
  space: { name: 'nb201' },
  strategy: { name: 'tpe', options: { startupTrials: 20 } },
  benchmark: { table: process.env.NB201_TABLE ?? '../data/nb201-cifar10.csv', metric: 'cifar10_test_acc' },
  objectives: [{ metric: 'cifar10_test_acc', direction: 'max' }],
  budget: { trials: 200 },
  workers: 1,
  storage: '../runs/nas.sqlite', // beside the default config's: `nas ls` lists every experiment
});
