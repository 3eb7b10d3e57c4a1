import { imageSize, type ImageSet, type ImageShape } from './types.js';

/** Per-channel mean and standard deviation (population), computed once over a training part. */
export type ChannelStats = { readonly mean: readonly number[]; readonly std: readonly number[] };

const MIN_STD = 1e-6;

/**
 * Mean and standard deviation of every channel over the images `indices` of `set` (all of it if
 * omitted), accumulated in float64. Compute them on the training part only, then apply everywhere.
 */
export function channelStats(set: ImageSet, indices?: Uint32Array): ChannelStats {
  const [h, w, c] = set.shape;
  const size = imageSize(set.shape);
  const sum = new Float64Array(c);
  const sumSquares = new Float64Array(c);
  const count = indices?.length ?? set.count;
  for (let i = 0; i < count; i++) {
    const base = (indices === undefined ? i : (indices[i] as number)) * size;
    for (let p = 0; p < size; p += c) {
      for (let ch = 0; ch < c; ch++) {
        const value = set.images[base + p + ch] as number;
        sum[ch] = (sum[ch] as number) + value;
        sumSquares[ch] = (sumSquares[ch] as number) + value * value;
      }
    }
  }
  const n = count * h * w;
  const mean = Array.from(sum, (s) => s / n);
  const std = Array.from(sumSquares, (s, ch) => Math.sqrt(Math.max(0, s / n - (mean[ch] as number) ** 2)));
  return { mean, std };
}

/**
 * Normalises the first `count` images of an NHWC batch in place: (x − mean) / std per channel. A
 * channel with (near) zero deviation is only centred. The shared data stay in [0, 1]; only batches change.
 */
export function normalizeBatch(images: Float32Array, count: number, shape: ImageShape, stats: ChannelStats): void {
  const c = shape[2];
  if (stats.mean.length !== c || stats.std.length !== c) {
    throw new RangeError(`normalizeBatch: stats have ${stats.mean.length} channels, images have ${c}`);
  }
  const scale = stats.std.map((s) => (s < MIN_STD ? 1 : 1 / s));
  const end = count * imageSize(shape);
  for (let i = 0; i < end; i++) {
    const ch = i % c;
    images[i] = ((images[i] as number) - (stats.mean[ch] as number)) * (scale[ch] as number);
  }
}
