import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/core/rng.js';
import { DARTS_V1, DARTS_V2, type DartsSample } from '../../../../src/space/spaces/darts/index.js';
import { trainOneStep } from '../train-step.js';
import { darts } from './helpers.js';

// L = 5 (reductions at cells 1 and 3, a FactorizedReduce after each), C = 8, every op of the catalog.
const space = darts({
  layers: 5,
  channels: 8,
  ops: [
    'none',
    'max_pool_3x3',
    'avg_pool_3x3',
    'skip_connect',
    'sep_conv_3x3',
    'sep_conv_5x5',
    'sep_conv_7x7',
    'dil_conv_3x3',
    'dil_conv_5x5',
    'conv_7x1_1x7',
  ],
});
const rng = new Rng('darts-slow');

/** Strided edges of every parametrised kind in the reduction cell: dil_conv (stride on the 1×1), FactorizedReduce skip, 7×1-1×7. */
const STRIDED: DartsSample = {
  normal: DARTS_V2.normal,
  reduce: [
    ['dil_conv_5x5', 0],
    ['skip_connect', 1],
    ['conv_7x1_1x7', 0],
    ['dil_conv_3x3', 1],
    ['avg_pool_3x3', 2],
    ['sep_conv_7x7', 3],
    ['skip_connect', 4],
    ['max_pool_3x3', 1],
  ],
};

const CASES: readonly [string, DartsSample][] = [
  ['DARTS_V2', DARTS_V2],
  ['DARTS_V1', DARTS_V1],
  ['strided dil_conv, skip_connect and conv_7x1_1x7 in the reduction cell', STRIDED],
  ['random', space.sample(rng)],
  ['random', space.sample(rng)],
];

describe('darts frozen samples train on the native backend (32×32×3, 10 classes)', () => {
  it.each(CASES)('%s: builds, counts what the cost model counts, trains one step, leaks nothing', async (_, sample) => {
    expect(space.validate(sample)).toEqual([]);
    const r = await trainOneStep(space, sample);
    expect(Number.isFinite(r.loss)).toBe(true);
    expect(r.countParams).toBe(r.costTotal);
    expect(r.modelTrainable).toBe(r.costTrainable);
    expect(r.maxWeightChange).toBeGreaterThan(0);
    expect(r.leakedTensors).toBe(0);
  });
});
