import { describe, expect, it } from 'vitest';
import {
  assertArch,
  checkpointedActivationElements,
  segmentation,
  storedActivationElements,
} from '../../../src/space/index.js';
import { chain } from '../helpers.js';

// input [8] → dense 4 → relu → dense 4 → relu → dense 2: stored 8 + 4 + 4 + 4 + 4 + 2 = 26, N = 5
const mlp = assertArch(
  chain(
    [8],
    { id: 'd1', op: 'dense', units: 4 },
    { id: 'r1', op: 'act', fn: 'relu' },
    { id: 'd2', op: 'dense', units: 4 },
    { id: 'r2', op: 'act', fn: 'relu' },
    { id: 'd3', op: 'dense', units: 2 },
  ),
);

// input 4×4×1 → a conv 1×1 (32) → r1 → b conv 1×1 → r2 → s = r2 + a → r3: each output 32, stored 16 + 6 × 32 = 208
const skip = assertArch(
  chain(
    [4, 4, 1],
    { id: 'a', op: 'conv', filters: 2, kernel: 1 },
    { id: 'r1', op: 'act', fn: 'relu' },
    { id: 'b', op: 'conv', filters: 2, kernel: 1 },
    { id: 'r2', op: 'act', fn: 'relu' },
    { id: 's', op: 'add', inputs: ['r2', 'a'] },
    { id: 'r3', op: 'act', fn: 'relu' },
  ),
);

describe('segmentation on a chain', () => {
  it('K = 1 and K = N store what no checkpointing stores', () => {
    expect(storedActivationElements(mlp)).toBe(26);
    expect(segmentation(mlp, 1)).toEqual({
      segments: [['d1', 'r1', 'd2', 'r2', 'd3']],
      keptElements: 8,
      largestSegmentElements: 18,
    });
    expect(segmentation(mlp, 5)).toEqual({
      segments: [['d1'], ['r1'], ['d2'], ['r2'], ['d3']],
      keptElements: 8 + 16,
      largestSegmentElements: 2,
    });
    expect(checkpointedActivationElements(mlp, 1)).toBe(26);
    expect(checkpointedActivationElements(mlp, 5)).toBe(26);
  });

  it('K = 2: cut where half the activations are done; the tensor crossing the cut is kept', () => {
    // cumulative 4, 8, 12 before r2 reaches 18 / 2 = 9: the cut falls before r2
    expect(segmentation(mlp, 2)).toEqual({
      segments: [
        ['d1', 'r1', 'd2'],
        ['r2', 'd3'],
      ],
      keptElements: 8 + 4,
      largestSegmentElements: 8,
    });
    expect(checkpointedActivationElements(mlp, 2)).toBe(20);
  });

  it("'sqrt' is ⌈√5⌉ = 3 segments; a count above N is N", () => {
    expect(segmentation(mlp, 'sqrt')).toEqual({
      segments: [['d1', 'r1'], ['d2'], ['r2', 'd3']],
      keptElements: 8 + 4 + 4,
      largestSegmentElements: 6,
    });
    expect(checkpointedActivationElements(mlp, 'sqrt')).toBe(22);
    expect(segmentation(mlp, 3)).toEqual(segmentation(mlp, 'sqrt'));
    expect(segmentation(mlp, 50)).toEqual(segmentation(mlp, 5));
  });
});

describe('segmentation on a DAG with a skip connection', () => {
  it('a tensor read across a cut is kept, even far from the cut', () => {
    // cut before r2 (96 of 192 done): b crosses the cut, and so does a (read by s)
    expect(segmentation(skip, 2)).toEqual({
      segments: [
        ['a', 'r1', 'b'],
        ['r2', 's', 'r3'],
      ],
      keptElements: 16 + 32 + 32,
      largestSegmentElements: 96,
    });
    expect(checkpointedActivationElements(skip, 2)).toBe(176);
  });

  it('K = 3: the cut tensors r1, r2 and the skip source a are kept', () => {
    expect(segmentation(skip, 3)).toEqual({
      segments: [
        ['a', 'r1'],
        ['b', 'r2'],
        ['s', 'r3'],
      ],
      keptElements: 16 + 3 * 32,
      largestSegmentElements: 64,
    });
    expect(checkpointedActivationElements(skip, 'sqrt')).toBe(checkpointedActivationElements(skip, 3));
  });

  it('K = 1 and K = N store everything', () => {
    expect(checkpointedActivationElements(skip, 1)).toBe(208);
    expect(checkpointedActivationElements(skip, 6)).toBe(208);
  });
});
