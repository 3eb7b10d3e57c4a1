import { describe, expect, it } from 'vitest';
import { OptionsError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { admissible, budgetViolations, constrainSpace, constraintFrom } from '../../src/space/constraint.js';
import { estimateCost } from '../../src/space/cost/index.js';
import { fromBenchmarkString, Nb201Space, type Nb201Sample } from '../../src/space/spaces/nb201/index.js';
import { describeSpaceContract } from './spaces/contract.js';
import { macro } from './spaces/macro/helpers.js';

const space = new Nb201Space({ cells: 5, channels: 16 });
const opts = { inputShape: [32, 32, 3], classes: 10, batch: 1 } as const;
const SMALLEST = fromBenchmarkString('|none~0|+|none~0|none~1|+|none~0|none~1|none~2|');
const LARGEST = fromBenchmarkString(
  '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|',
);
const params = (s: Nb201Sample): number => estimateCost(space.freeze(s), opts).params.trainable;

describe('constraint hook', () => {
  it('bounds trainable params inclusively: 73,306 passes at 73,306 and fails at 73,305', () => {
    expect(admissible(space, SMALLEST, constraintFrom({ maxParams: 73_306 }), opts)).toBe(true);
    expect(admissible(space, SMALLEST, constraintFrom({ maxParams: 73_305 }), opts)).toBe(false);
    expect(admissible(space, LARGEST, constraintFrom({ maxParams: 1_531_546 }), opts)).toBe(true);
    expect(admissible(space, LARGEST, constraintFrom({ maxParams: 1_531_545 }), opts)).toBe(false);
  });

  it('bounds MACs: 7,783,040 for the smallest cell', () => {
    expect(admissible(space, SMALLEST, constraintFrom({ maxMacs: 7_783_040 }), opts)).toBe(true);
    expect(admissible(space, SMALLEST, constraintFrom({ maxMacs: 7_783_039 }), opts)).toBe(false);
  });

  it('bounds training memory (weights + gradients + Adam state + activations) at the given batch', () => {
    const at = (batch: number): number => estimateCost(space.freeze(SMALLEST), { ...opts, batch }).memory.trainTotal;
    const m = at(8);
    expect(admissible(space, SMALLEST, constraintFrom({ maxTrainMemory: m }), { ...opts, batch: 8 })).toBe(true);
    expect(admissible(space, SMALLEST, constraintFrom({ maxTrainMemory: m - 1 }), { ...opts, batch: 8 })).toBe(false);
    expect(admissible(space, SMALLEST, constraintFrom({ maxTrainMemory: m }), { ...opts, batch: 16 })).toBe(false);
    expect(at(16)).toBeGreaterThan(m);
  });

  it('needs every bound to hold and names the ones exceeded', () => {
    const both = constraintFrom({ maxParams: 2_000_000, maxMacs: 100_000_000 });
    expect(admissible(space, SMALLEST, both, opts)).toBe(true);
    expect(admissible(space, LARGEST, both, opts)).toBe(false);
    expect(
      budgetViolations({ maxParams: 2_000_000, maxMacs: 100_000_000 }, estimateCost(space.freeze(LARGEST), opts)),
    ).toEqual(['MACs 220119680 > maxMacs 100000000']);
  });

  it('rejects a bound that is not a positive number', () => {
    expect(() => constraintFrom({ maxParams: 0, maxMacs: -1 })).toThrow(OptionsError);
    expect(() => constraintFrom({ maxParams: Number.NaN })).toThrow('maxParams: expected a positive number, got null');
  });

  it('wraps a space so it only proposes admissible samples', () => {
    const limited = constrainSpace(space, constraintFrom({ maxParams: 400_000 }), opts);
    const rng = new Rng(7);
    for (let i = 0; i < 30; i++) {
      const s = limited.sample(rng);
      expect(params(s)).toBeLessThanOrEqual(400_000);
      expect(params(limited.mutate(s, rng))).toBeLessThanOrEqual(400_000);
      for (const n of limited.neighbours(s)) expect(params(n)).toBeLessThanOrEqual(400_000);
    }
    expect(limited.validate(LARGEST)).toEqual([
      { path: 'sample', message: 'outside the constraint: the cost model rejects its frozen architecture' },
    ]);
    expect(limited.validate(SMALLEST)).toEqual([]);
    expect(limited.neighbours(LARGEST)).toEqual([]);
  });

  it('passes relaxation and derive through, and derive only when the inner space has it', () => {
    const limited = constrainSpace(space, constraintFrom({ maxParams: 400_000 }), opts);
    expect(limited.relaxation?.()).toEqual(space.relaxation());
    const weights = { cell: [0, 1, 2, 3, 4, 0].map((best) => [0, 1, 2, 3, 4].map((i) => (i === best ? 1 : 0))) };
    expect(limited.derive?.(weights)).toEqual(
      fromBenchmarkString('|none~0|+|skip_connect~0|nor_conv_1x1~1|+|nor_conv_3x3~0|avg_pool_3x3~1|none~2|'),
    );
    const bare = constrainSpace(macro(), () => true, opts);
    expect('derive' in bare).toBe(false);
    expect('relaxation' in bare).toBe(false);
  });

  it('says so when nothing in the space is admissible', () => {
    const impossible = constrainSpace(space, constraintFrom({ maxParams: 1000 }), opts, 50);
    expect(() => impossible.sample(new Rng(1))).toThrow('no admissible sample of space "nb201" after 50 tries');
  });
});

describeSpaceContract(
  'nb201 constrained to ≤ 400,000 params',
  () => constrainSpace(space, constraintFrom({ maxParams: 400_000 }), opts),
  { numRuns: 30 },
);
