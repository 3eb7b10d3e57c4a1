/**
 * The oracle for the builder's window layers: plain nested loops over Float32Array (NHWC), written
 * straight from the seed's part 1.1 formula
 *   out[b, i, j, k] = bias[k] + Σ_{di, dj, q} x[b, s·i + d·di − pad_top, s·j + d·dj − pad_left, q] · w[di, dj, q, k]
 * (zero outside the input), with groups, and its transpose. Nothing here imports the builder.
 */

/** A dense NHWC (or any-rank) array. */
export interface Nd {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

type Pair = readonly [number, number];
/** [[top, bottom], [left, right]]. */
export type Sides = readonly [Pair, Pair];

export function zeros(shape: readonly number[]): Nd {
  return { shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) };
}

/** Flat offset of an NHWC element. */
const at = (s: readonly number[], n: number, h: number, w: number, c: number): number =>
  ((n * (s[1] ?? 0) + h) * (s[2] ?? 0) + w) * (s[3] ?? 0) + c;

/** TensorFlow's 'same' sides for one axis: total = max((ceil(n/s) − 1)·s + d·(k−1) + 1 − n, 0), top = floor(total/2). */
export function tfSame(n: number, k: number, s: number, d = 1): Pair {
  const total = Math.max((Math.ceil(n / s) - 1) * s + d * (k - 1) + 1 - n, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

export interface ConvArgs {
  readonly stride: Pair;
  readonly dilation: Pair;
  readonly pad: Sides;
  readonly groups: number;
}

/** Convolution; w is [kh, kw, C_in/groups, C_out], output channel o belongs to group floor(o / (C_out/groups)). */
export function conv2d(x: Nd, w: Nd, bias: Float32Array | undefined, a: ConvArgs): Nd {
  const [n, h, wd, cin] = x.shape as [number, number, number, number];
  const [kh, kw, cinG, cout] = w.shape as [number, number, number, number];
  if (cinG * a.groups !== cin) throw new Error(`kernel expects ${cinG * a.groups} input channels, got ${cin}`);
  const coutG = cout / a.groups;
  const ho = Math.floor((h + a.pad[0][0] + a.pad[0][1] - a.dilation[0] * (kh - 1) - 1) / a.stride[0]) + 1;
  const wo = Math.floor((wd + a.pad[1][0] + a.pad[1][1] - a.dilation[1] * (kw - 1) - 1) / a.stride[1]) + 1;
  const out = zeros([n, ho, wo, cout]);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < ho; i++) {
      for (let j = 0; j < wo; j++) {
        for (let o = 0; o < cout; o++) {
          const g = Math.floor(o / coutG);
          let sum = bias?.[o] ?? 0;
          for (let di = 0; di < kh; di++) {
            const y = i * a.stride[0] - a.pad[0][0] + di * a.dilation[0];
            if (y < 0 || y >= h) continue;
            for (let dj = 0; dj < kw; dj++) {
              const xx = j * a.stride[1] - a.pad[1][0] + dj * a.dilation[1];
              if (xx < 0 || xx >= wd) continue;
              for (let q = 0; q < cinG; q++) {
                sum +=
                  (x.data[at(x.shape, b, y, xx, g * cinG + q)] ?? 0) *
                  (w.data[((di * kw + dj) * cinG + q) * cout + o] ?? 0);
              }
            }
          }
          out.data[at(out.shape, b, i, j, o)] = sum;
        }
      }
    }
  }
  return out;
}

export interface DeconvArgs {
  readonly stride: Pair;
  readonly dilation: Pair;
  readonly pad: Sides;
  /** The output size [H, W] (PyTorch: (in−1)·s − p₀ − p₁ + d·(k−1) + output_padding + 1). */
  readonly outHW: Pair;
}

/** Transposed convolution by scatter; w is [kh, kw, C_out, C_in]; rows/columns nobody scatters to hold only the bias. */
export function conv2dTranspose(x: Nd, w: Nd, bias: Float32Array | undefined, a: DeconvArgs): Nd {
  const [n, h, wd, cin] = x.shape as [number, number, number, number];
  const [kh, kw, cout] = w.shape as [number, number, number, number];
  const [ho, wo] = a.outHW;
  const out = zeros([n, ho, wo, cout]);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < ho; i++)
      for (let j = 0; j < wo; j++) for (let o = 0; o < cout; o++) out.data[at(out.shape, b, i, j, o)] = bias?.[o] ?? 0;
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < wd; j++) {
        for (let di = 0; di < kh; di++) {
          const y = i * a.stride[0] - a.pad[0][0] + di * a.dilation[0];
          if (y < 0 || y >= ho) continue;
          for (let dj = 0; dj < kw; dj++) {
            const xx = j * a.stride[1] - a.pad[1][0] + dj * a.dilation[1];
            if (xx < 0 || xx >= wo) continue;
            for (let o = 0; o < cout; o++) {
              const k = at(out.shape, b, y, xx, o);
              for (let c = 0; c < cin; c++) {
                out.data[k] =
                  (out.data[k] ?? 0) +
                  (x.data[at(x.shape, b, i, j, c)] ?? 0) * (w.data[((di * kw + dj) * cout + o) * cin + c] ?? 0);
              }
            }
          }
        }
      }
    }
  }
  return out;
}

export interface PoolArgs {
  readonly fn: 'max' | 'avg';
  readonly kernel: Pair;
  readonly stride: Pair;
  readonly pad: Sides;
  /** avg only: divide by the whole window ('window') or by the real elements in it ('real'). */
  readonly divisor: 'window' | 'real';
}

/** Max or average pooling; padded positions never win a max and count in an average only for 'window'. */
export function pool2d(x: Nd, a: PoolArgs): Nd {
  const [n, h, wd, c] = x.shape as [number, number, number, number];
  const [kh, kw] = a.kernel;
  const ho = Math.floor((h + a.pad[0][0] + a.pad[0][1] - kh) / a.stride[0]) + 1;
  const wo = Math.floor((wd + a.pad[1][0] + a.pad[1][1] - kw) / a.stride[1]) + 1;
  const out = zeros([n, ho, wo, c]);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < ho; i++) {
      for (let j = 0; j < wo; j++) {
        for (let q = 0; q < c; q++) {
          let max = Number.NEGATIVE_INFINITY;
          let sum = 0;
          let real = 0;
          for (let di = 0; di < kh; di++) {
            for (let dj = 0; dj < kw; dj++) {
              const y = i * a.stride[0] - a.pad[0][0] + di;
              const xx = j * a.stride[1] - a.pad[1][0] + dj;
              if (y < 0 || y >= h || xx < 0 || xx >= wd) continue;
              const v = x.data[at(x.shape, b, y, xx, q)] ?? 0;
              max = Math.max(max, v);
              sum += v;
              real += 1;
            }
          }
          const avg = sum / (a.divisor === 'window' ? kh * kw : real);
          out.data[at(out.shape, b, i, j, q)] = a.fn === 'max' ? max : avg;
        }
      }
    }
  }
  return out;
}
