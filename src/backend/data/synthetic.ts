import { Rng } from '../../core/rng.js';
import { createImageSet, imageSize, type Dataset, type ImageSet, type ImageShape } from './types.js';

/** Size, shape, classes, noise and seed of a synthetic data set. */
export type SyntheticOptions = {
  readonly seed: string | number;
  readonly trainCount: number;
  readonly testCount: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly classes: number;
  readonly noise: number;
};

/** Defaults of {@link syntheticDataset}: small enough for a test to train on in seconds. */
export const SYNTHETIC_DEFAULTS: SyntheticOptions = {
  seed: 0, trainCount: 1000, testCount: 200, height: 8, width: 8, channels: 1, classes: 10, noise: 0.3,
};

/**
 * A seeded, learnable data set: each class has a fixed random template in [0, 1]; an image is its
 * class template plus Gaussian noise of standard deviation `noise`, clipped to [0, 1]. Labels cycle
 * through the classes, so every part is balanced. Same options, same data.
 */
export function syntheticDataset(options: Partial<SyntheticOptions> = {}): Dataset {
  const o = { ...SYNTHETIC_DEFAULTS, ...options };
  const rng = new Rng(o.seed);
  const shape: ImageShape = [o.height, o.width, o.channels];
  const templateRng = rng.derive('templates');
  const templates = Array.from({ length: o.classes }, () => Float32Array.from({ length: imageSize(shape) }, () => templateRng.next()));
  return {
    name: 'synthetic',
    numClasses: o.classes,
    classNames: templates.map((_, label) => `class-${label}`),
    train: noisyCopies(templates, o.trainCount, shape, o.noise, rng.derive('train')),
    test: noisyCopies(templates, o.testCount, shape, o.noise, rng.derive('test')),
  };
}

function noisyCopies(templates: readonly Float32Array[], count: number, shape: ImageShape, noise: number, rng: Rng): ImageSet {
  const set = createImageSet(count, shape);
  const size = imageSize(shape);
  for (let i = 0; i < count; i++) {
    const label = i % templates.length;
    const template = templates[label] as Float32Array;
    set.labels[i] = label;
    for (let p = 0; p < size; p++) {
      const value = (template[p] as number) + noise * rng.normal();
      set.images[i * size + p] = Math.min(1, Math.max(0, value));
    }
  }
  return set;
}
