/**
 * A float64 JavaScript reference of the few ops the full-integer test network uses (NHWC, one image
 * at a time), written independently of the compiled graph. Each op also returns Σ|terms| per output
 * element, the scale of its float32 rounding error in the graph.
 */

export type Activation = { readonly shape: readonly number[]; readonly data: Float64Array };
export type Computed = Activation & { readonly magnitude: Float64Array };

/** Convolution, stride 1, SAME padding (odd kernels), `groups` groups; kernel [kh, kw, cin/groups, cout]. */
export function conv2d(
  x: Activation,
  kernel: ArrayLike<number>,
  kshape: readonly number[],
  bias: ArrayLike<number> | undefined,
  groups = 1,
): Computed {
  const [h, w, cin] = x.shape as [number, number, number];
  const [kh, kw, per, cout] = kshape as [number, number, number, number];
  const outPer = cout / groups;
  const data = new Float64Array(h * w * cout);
  const magnitude = new Float64Array(h * w * cout);
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      for (let o = 0; o < cout; o++) {
        const g = Math.floor(o / outPer);
        let sum = bias === undefined ? 0 : (bias[o] as number);
        let mag = Math.abs(sum);
        for (let a = 0; a < kh; a++) {
          for (let b = 0; b < kw; b++) {
            const y = i + a - (kh - 1) / 2;
            const z = j + b - (kw - 1) / 2;
            if (y < 0 || y >= h || z < 0 || z >= w) continue;
            for (let c = 0; c < per; c++) {
              const term =
                (x.data[(y * w + z) * cin + g * per + c] as number) *
                (kernel[((a * kw + b) * per + c) * cout + o] as number);
              sum += term;
              mag += Math.abs(term);
            }
          }
        }
        data[(i * w + j) * cout + o] = sum;
        magnitude[(i * w + j) * cout + o] = mag;
      }
    }
  }
  return { shape: [h, w, cout], data, magnitude };
}

export function dense(x: Activation, kernel: ArrayLike<number>, units: number, bias: ArrayLike<number>): Computed {
  const n = x.data.length;
  const data = new Float64Array(units);
  const magnitude = new Float64Array(units);
  for (let u = 0; u < units; u++) {
    let sum = bias[u] as number;
    let mag = Math.abs(sum);
    for (let i = 0; i < n; i++) {
      const term = (x.data[i] as number) * (kernel[i * units + u] as number);
      sum += term;
      mag += Math.abs(term);
    }
    data[u] = sum;
    magnitude[u] = mag;
  }
  return { shape: [units], data, magnitude };
}

export function maxPool2(x: Activation): Computed {
  const [h, w, c] = x.shape as [number, number, number];
  const [ho, wo] = [Math.floor(h / 2), Math.floor(w / 2)];
  const data = new Float64Array(ho * wo * c);
  for (let i = 0; i < ho; i++) {
    for (let j = 0; j < wo; j++) {
      for (let k = 0; k < c; k++) {
        let m = -Infinity;
        for (let a = 0; a < 2; a++)
          for (let b = 0; b < 2; b++) m = Math.max(m, x.data[((2 * i + a) * w + 2 * j + b) * c + k] as number);
        data[(i * wo + j) * c + k] = m;
      }
    }
  }
  return { shape: [ho, wo, c], data, magnitude: data.map(Math.abs) };
}

export function globalAverage(x: Activation): Computed {
  const [h, w, c] = x.shape as [number, number, number];
  const data = new Float64Array(c);
  const magnitude = new Float64Array(c);
  for (let p = 0; p < h * w; p++) {
    for (let k = 0; k < c; k++) {
      const v = x.data[p * c + k] as number;
      data[k] = (data[k] as number) + v / (h * w);
      magnitude[k] = (magnitude[k] as number) + Math.abs(v) / (h * w);
    }
  }
  return { shape: [c], data, magnitude };
}

export function add(a: Activation, b: Activation): Computed {
  return {
    shape: a.shape,
    data: a.data.map((v, i) => v + (b.data[i] as number)),
    magnitude: a.data.map((v, i) => Math.abs(v) + Math.abs(b.data[i] as number)),
  };
}

export function clip(x: Computed, lo: number, hi: number): Computed {
  return { shape: x.shape, data: x.data.map((v) => Math.min(hi, Math.max(lo, v))), magnitude: x.magnitude };
}
