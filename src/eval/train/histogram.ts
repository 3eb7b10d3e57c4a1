/** Equal-width histograms of a layer's weights or gradients (docs/training.md, *Diagnostics*). */

export type Histogram = { readonly min: number; readonly max: number; readonly counts: number[] };

/**
 * `bins` equal-width bins over [min, max] of all the values of `parts`; a value falls in bin
 * ⌊(v − min) / (max − min) · bins⌋, the maximum in the last bin. When every value is equal, all are in
 * the first bin. Values that are not finite are left out.
 */
export function histogram(parts: readonly ArrayLike<number>[], bins: number): Histogram {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const values of parts) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (!Number.isFinite(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const counts = new Array<number>(bins).fill(0);
  if (!(min <= max)) return { min: 0, max: 0, counts };
  const scale = max > min ? bins / (max - min) : 0;
  for (const values of parts) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (!Number.isFinite(v)) continue;
      const bin = Math.min(bins - 1, Math.floor((v - min) * scale));
      counts[bin] = (counts[bin] as number) + 1;
    }
  }
  return { min, max, counts };
}
