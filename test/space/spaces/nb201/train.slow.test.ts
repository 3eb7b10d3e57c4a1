import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/core/rng.js';
import { fromBenchmarkString, Nb201Space, type Nb201Sample } from '../../../../src/space/spaces/nb201/index.js';
import { trainOneStep } from '../train-step.js';

const space = new Nb201Space({ cells: 5, channels: 16 });
const rng = new Rng('nb201-slow');
const CELLS: readonly [string, Nb201Sample][] = [
  ['all none (73,306 params)', fromBenchmarkString('|none~0|+|none~0|none~1|+|none~0|none~1|none~2|')],
  [
    'all skip (repeated inputs to add)',
    fromBenchmarkString(
      '|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|',
    ),
  ],
  [
    'all 3×3 conv (1,531,546 params)',
    fromBenchmarkString(
      '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|',
    ),
  ],
  ['dead conv inputs', fromBenchmarkString('|none~0|+|none~0|nor_conv_3x3~1|+|avg_pool_3x3~0|nor_conv_1x1~1|none~2|')],
  ['random', space.sample(rng)],
  ['random', space.sample(rng)],
];

describe('nb201 frozen samples train on the native backend', () => {
  it.each(CELLS)('%s: builds, counts what the cost model counts, trains one step, leaks nothing', async (_, cell) => {
    const r = await trainOneStep(space, cell);
    expect(Number.isFinite(r.loss)).toBe(true);
    expect(r.countParams).toBe(r.costTotal);
    expect(r.modelTrainable).toBe(r.costTrainable);
    expect(r.maxWeightChange).toBeGreaterThan(0);
    expect(r.leakedTensors).toBe(0);
  });
});
