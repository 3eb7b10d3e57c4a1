// What the quantization tests draw: one macro and one layer-wise sample, and weights whose biases and
// BatchNorm statistics are not the builder's zeros and ones (folding and quantizing must change values).
import type { Json } from '../../../src/core/arch.js';
import { Rng } from '../../../src/core/rng.js';
import type { WeightArray } from '../../../src/eval/weights.js';
import { createSpace } from '../../../src/space/spaces/index.js';
import { assertArch, type ResolvedArch } from '../../../src/space/index.js';

/** A seeded macro and layer-wise sample (`<prefix> <space>` seeds them), resolved for `inputShape` and 10 classes. */
export function quantizeSamples(
  prefix: string,
  inputShape: readonly [number, number, number],
): [string, ResolvedArch][] {
  const spaces = [
    [
      'macro',
      createSpace('macro', {
        stem: 'conv3x3',
        stemChannels: 8,
        stageWidths: [8, 16, 16],
        widthMultipliers: ['0.5', '1'],
        divisor: 4,
        kernels: [3, 5],
        expansions: [1, 2, 4],
        depths: [1, 2],
        strides: [1, 2],
        head: 'classifier',
      }),
    ],
    ['layerwise', createSpace('layerwise', { layers: 6, channels: 8, reductions: [1, 3], merge: 'concat' })],
  ] as const;
  return spaces.map(([name, space]) => {
    const sample: Json = space.sample(new Rng(`${prefix} ${name}`));
    return [name, assertArch(space.freeze(sample), { inputShape, classes: 10 })];
  });
}

/**
 * `weights` with biases, β and moving means drawn around 0 (normal, standard deviations `spread`:
 * bias, β, mean) and γ and moving variances in [0.5, 1.5), from `rng`.
 */
export function drawnStatistics(
  weights: ReadonlyMap<string, WeightArray>,
  rng: Rng,
  spread: { readonly bias: number; readonly beta: number; readonly mean: number },
): Map<string, WeightArray> {
  const draw: Record<string, () => number> = {
    bias: () => spread.bias * rng.normal(),
    gamma: () => 0.5 + rng.next(),
    beta: () => spread.beta * rng.normal(),
    moving_mean: () => spread.mean * rng.normal(),
    moving_variance: () => 0.5 + rng.next(),
  };
  return new Map(
    [...weights].map(([name, w]) => {
      const f = draw[name.slice(name.lastIndexOf('/') + 1)];
      return [name, f === undefined ? w : { shape: w.shape, data: Float32Array.from(w.data, () => f()) }];
    }),
  );
}
