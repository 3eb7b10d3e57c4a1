import seedrandom from 'seedrandom';

/** Serializable state of an {@link Rng}, enough to continue the exact same stream. */
export type RngState = { readonly seed: string; readonly prng: seedrandom.State.Arc4 };

/**
 * A seeded random number generator (seedrandom's ARC4). Every source of randomness in src/ takes
 * one of these; nothing uses Math.random.
 */
export class Rng {
  readonly seed: string;
  private readonly prng: seedrandom.StatefulPRNG<seedrandom.State.Arc4>;

  constructor(seed: string | number, state?: seedrandom.State.Arc4) {
    this.seed = String(seed);
    this.prng = seedrandom(this.seed, { state: state ?? true }) as seedrandom.StatefulPRNG<seedrandom.State.Arc4>;
  }

  /** Restores a generator from {@link Rng.snapshot}; its next draws equal the original's. */
  static restore(state: RngState): Rng {
    return new Rng(state.seed, state.prng);
  }

  snapshot(): RngState {
    return { seed: this.seed, prng: this.prng.state() };
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.prng.double();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`int(n) needs a positive integer n, got ${n}`);
    return Math.floor(this.next() * n);
  }

  /** A uniformly chosen element of a non-empty array. */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('choice() needs a non-empty array');
    return items[this.int(items.length)] as T;
  }

  /** Fisher-Yates shuffle in place; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /** A permutation of 0..n-1. */
  permutation(n: number): Uint32Array {
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = out[i] as number;
      out[i] = out[j] as number;
      out[j] = tmp;
    }
    return out;
  }

  /** Standard normal draw (Box-Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /**
   * An independent generator for a named purpose ("data-order", "trial-7"). Derived from the seed
   * and the label only, so it does not depend on how many draws this generator has made.
   */
  derive(label: string): Rng {
    return new Rng(`${this.seed}/${label}`);
  }

  /** A 32-bit integer seed for APIs that take numbers (tfjs initializers). */
  int32(): number {
    return this.prng.int32() >>> 0;
  }
}
