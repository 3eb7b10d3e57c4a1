import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/core/rng.js';
import { LAYERWISE_OPS, LayerwiseSpace, type LayerwiseSample } from '../../../../src/space/spaces/layerwise/index.js';
import { trainOneStep } from '../train-step.js';

const sum = new LayerwiseSpace({ layers: 12, channels: 32, ops: LAYERWISE_OPS, reductions: [3, 7], merge: 'sum' });
const concat = new LayerwiseSpace({ layers: 6, channels: 16, ops: LAYERWISE_OPS, reductions: [1, 3], merge: 'concat' });
const rng = new Rng('layerwise-slow');
const allSkips = (space: LayerwiseSpace): LayerwiseSample =>
  space.decode(space.dimensions().map((d) => (d.label.endsWith('.op') ? 0 : 1)));

const CASES: readonly [string, LayerwiseSpace, LayerwiseSample][] = [
  ['sum, every skip on', sum, allSkips(sum)],
  ['sum, random', sum, sum.sample(rng)],
  ['sum, random', sum, sum.sample(rng)],
  ['concat, every skip on', concat, allSkips(concat)],
  ['concat, random', concat, concat.sample(rng)],
];

describe('layerwise frozen samples train on the native backend', () => {
  it.each(CASES)(
    '%s: builds, counts what the cost model counts, trains one step, leaks nothing',
    async (_, space, sample) => {
      const r = await trainOneStep(space, sample);
      expect(Number.isFinite(r.loss)).toBe(true);
      expect(r.countParams).toBe(r.costTotal);
      expect(r.modelTrainable).toBe(r.costTrainable);
      expect(r.maxWeightChange).toBeGreaterThan(0);
      expect(r.leakedTensors).toBe(0);
    },
  );

  it('covers every op across its samples', () => {
    const used = new Set(CASES.flatMap(([, , s]) => s.layers.map((l) => l.op)));
    expect([...used].sort()).toEqual([...LAYERWISE_OPS].sort());
  });
});
