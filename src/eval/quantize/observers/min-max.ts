import { assertFinite, type Range, type RangeObserver } from './observer.js';

/** The exact smallest and largest value seen. */
export class MinMaxObserver implements RangeObserver {
  private min = Infinity;
  private max = -Infinity;

  observe(values: ArrayLike<number>): void {
    assertFinite(values);
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (v < this.min) this.min = v;
      if (v > this.max) this.max = v;
    }
  }

  range(): Range {
    if (this.min > this.max) throw new Error('no values observed');
    return { min: this.min, max: this.max };
  }
}
