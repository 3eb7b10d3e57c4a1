/**
 * Just enough of CPython's `random` module to replay a recorded shuffle: the MT19937 generator
 * (Matsumoto & Nishimura 1998, reference `init_by_array` / `genrand_int32`) seeded like
 * `random.seed(n)` for a non-negative integer n, and `random.shuffle` (Fisher-Yates from the end,
 * `_randbelow` by rejection on `getrandbits`). Not a source of randomness for the engine: that is Rng.
 */

const N = 624;
const M = 397;

class Mt19937 {
  private readonly mt = new Uint32Array(N);
  private index = N + 1;

  constructor(key: readonly number[]) {
    this.initGenrand(19650218);
    const mt = this.mt;
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1] as number;
      mt[i] = ((mt[i] as number) ^ Math.imul(prev ^ (prev >>> 30), 1664525)) + (key[j] as number) + j;
      i++;
      j++;
      if (i >= N) [mt[0], i] = [mt[N - 1] as number, 1];
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1] as number;
      mt[i] = (((mt[i] as number) ^ Math.imul(prev ^ (prev >>> 30), 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) [mt[0], i] = [mt[N - 1] as number, 1];
    }
    mt[0] = 0x80000000;
  }

  private initGenrand(seed: number): void {
    this.mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = this.mt[i - 1] as number;
      this.mt[i] = Math.imul(1812433253, prev ^ (prev >>> 30)) + i;
    }
    this.index = N;
  }

  private twist(): void {
    const mt = this.mt;
    for (let k = 0; k < N; k++) {
      const y = ((mt[k] as number) & 0x80000000) | ((mt[(k + 1) % N] as number) & 0x7fffffff);
      mt[k] = (mt[(k + M) % N] as number) ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.index = 0;
  }

  /** A uniform 32-bit unsigned integer (`genrand_uint32`). */
  uint32(): number {
    if (this.index >= N) this.twist();
    let y = this.mt[this.index++] as number;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }
}

/** CPython's `random.seed(seed); random.shuffle(items)` for a non-negative integer seed below 2^32. */
export function pythonShuffle<T>(items: T[], seed: number): T[] {
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32)
    throw new RangeError(`expected an integer seed in 0..2^32-1, got ${seed}`);
  const mt = new Mt19937([seed]);
  const below = (n: number): number => {
    const k = 32 - Math.clz32(n);
    for (;;) {
      const r = mt.uint32() >>> (32 - k);
      if (r < n) return r;
    }
  };
  for (let i = items.length - 1; i > 0; i--) {
    const j = below(i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
