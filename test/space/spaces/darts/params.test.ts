import { describe, expect, it } from 'vitest';
import { assertArch, estimateCost } from '../../../../src/space/index.js';
import { DARTS_V2, type DartsSample } from '../../../../src/space/spaces/darts/index.js';
import { darts, totals } from './helpers.js';

// PyTorch modules of DARTS (operations.py), parameters with C channels, by hand:
//   ReLUConvBN(a → C, 1×1) = a·C + 2C          FactorizedReduce(a → C) = 2·(a·C/2) + 2C
//   SepConv(C, k) = 2·(k²·C + C² + 2C)          DilConv(C, k) = k²·C + C² + 2C
const relConvBn = (a: number, c: number): number => a * c + 2 * c;
const factorizedReduce = (a: number, c: number): number => 2 * (a * (c / 2)) + 2 * c;
const sepConv = (c: number, k: number): number => 2 * (k * k * c + c * c + 2 * c);
const dilConv = (c: number, k: number): number => k * k * c + c * c + 2 * c;

/** B = 2: normal (sep3 ← 0, dil5 ← 1), (skip ← 0, max ← node 2); reduce (skip ← 0, dil3 ← 1), (avg ← node 2, sep5 ← 1). */
const SMALL: DartsSample = {
  normal: [
    ['sep_conv_3x3', 0],
    ['dil_conv_5x5', 1],
    ['skip_connect', 0],
    ['max_pool_3x3', 2],
  ],
  reduce: [
    ['skip_connect', 0],
    ['dil_conv_3x3', 1],
    ['avg_pool_3x3', 2],
    ['sep_conv_5x5', 1],
  ],
};

describe('one small cell, counted by hand (C = 4, B = 2, L = 3, input 16×16×3)', () => {
  const arch = assertArch(darts({ nodes: 2, layers: 3, channels: 4 }).freeze(SMALL), {
    inputShape: [16, 16, 3],
    classes: 10,
  });

  it('normal cell 0 (inputs: the 12-channel stem twice): 356 trainable parameters, 40 BN statistics, 80,896 MACs', () => {
    // pre0, pre1: 12·4 + 8 = 56 each; sep_conv_3x3: 2·(36 + 16 + 8) = 120; dil_conv_5x5: 100 + 16 + 8 = 124;
    // skip_connect and max_pool_3x3: 0.
    expect(56 + 56 + 120 + 124).toBe(relConvBn(12, 4) * 2 + sepConv(4, 3) + dilConv(4, 5));
    // BN moving mean and variance: pre0, pre1, two in sep_conv, one in dil_conv, 4 channels each: 5 · 8.
    // MACs at 16×16 (256 positions): pre 12·4·256 each; sep: 2·(9·4 + 4·4)·256; dil: (25·4 + 4·4)·256.
    expect(totals(arch, 'c0.')).toEqual({ trainable: 356, nonTrainable: 40, macs: 2 * 12_288 + 26_624 + 29_696 });
    expect(totals(arch, 'c0.').macs).toBe(80_896);
  });

  it('reduction cell 1 (C = 8; inputs: stem 12 channels, cell 0 with 2·4): 984 trainable parameters', () => {
    // pre0 12·8 + 16 = 112; pre1 8·8 + 16 = 80; skip_connect on a cell input at stride 2 = FactorizedReduce(8, 8):
    // 2·(8·4) + 16 = 80; dil_conv_3x3: 72 + 64 + 16 = 152; avg_pool_3x3: 0; sep_conv_5x5: 2·(200 + 64 + 16) = 560.
    expect(112 + 80 + 80 + 152 + 560).toBe(
      relConvBn(12, 8) + relConvBn(8, 8) + factorizedReduce(8, 8) + dilConv(8, 3) + sepConv(8, 5),
    );
    const cell = totals(arch, 'c1.');
    expect(cell.trainable).toBe(984);
    // pre0 24,576 + pre1 16,384 (at 16×16); FactorizedReduce 2·(8·4)·64 = 4,096; sep_conv_5x5 at 8×8:
    // 2·(25·8 + 64)·64 = 33,792; dil_conv_3x3: the strided dw at 8×8 (9·8·64 = 4,608) + pw 64·64 = 4,096.
    expect(cell.macs).toBe(24_576 + 16_384 + 4_096 + 33_792 + 4_608 + 4_096);
    expect(arch.nodes.find((n) => n.id === 'c1')?.shape).toEqual([8, 8, 16]);
  });
});

/** NetworkCIFAR (model.py, no auxiliary head) of DARTS_V2, parameters from the formulas, cell by cell. */
function dartsV2Params(c0: number, layers: number, classes: number): number {
  const normalOps = (c: number): number => 5 * sepConv(c, 3) + dilConv(c, 3); // + 2 skip_connect at stride 1
  const reduceOps = 0; // 5 max pools, 3 skip_connect all reading node 2 (stride 1): no parameters
  let total = 3 * 3 * 3 * (3 * c0) + 2 * (3 * c0);
  let [cPrevPrev, cPrev, c, reductionPrev] = [3 * c0, 3 * c0, c0, false];
  for (let i = 0; i < layers; i++) {
    const reduction = i === Math.floor(layers / 3) || i === Math.floor((2 * layers) / 3);
    if (reduction) c *= 2;
    total += (reductionPrev ? factorizedReduce(cPrevPrev, c) : relConvBn(cPrevPrev, c)) + relConvBn(cPrev, c);
    total += reduction ? reduceOps : normalOps(c);
    [cPrevPrev, cPrev, reductionPrev] = [cPrev, 4 * c, reduction];
  }
  return total + cPrev * classes + classes;
}

/** Its MACs: k²·C_in·C_out·H·W per conv at its output size (depthwise: k²·C·H·W); the reduction cell of DARTS_V2 has none. */
function dartsV2Macs(c0: number, layers: number, classes: number, side: number): number {
  const sep = (c: number, hw: number): number => 2 * (9 * c + c * c) * hw;
  const dil = (c: number, hw: number): number => (9 * c + c * c) * hw;
  let total = 27 * 3 * c0 * side * side;
  let [cPrevPrev, cPrev, c, hw] = [3 * c0, 3 * c0, c0, side * side];
  for (let i = 0; i < layers; i++) {
    const reduction = i === Math.floor(layers / 3) || i === Math.floor((2 * layers) / 3);
    if (reduction) c *= 2;
    // Preprocessing at the size of s1; a FactorizedReduce's two a → C/2 convs count like one a → C 1×1 conv.
    total += cPrevPrev * c * hw + cPrev * c * hw;
    if (!reduction) total += 5 * sep(c, hw) + dil(c, hw);
    [cPrevPrev, cPrev, hw] = [cPrev, 4 * c, reduction ? hw / 4 : hw];
  }
  return total + cPrev * classes;
}

describe('the DARTS_V2 CIFAR-10 network (C = 36, L = 20, 10 classes)', () => {
  const cost = estimateCost(darts({ layers: 20, channels: 36 }).freeze(DARTS_V2), {
    inputShape: [32, 32, 3],
    classes: 10,
    batch: 1,
  });

  it('has 3,349,342 trainable parameters: the formulas, and the reference code\'s "param size = 3.349342MB"', () => {
    expect(dartsV2Params(36, 20, 10)).toBe(3_349_342);
    expect(cost.params.trainable).toBe(3_349_342);
  });

  it('the formula agrees at other sizes too (C = 16, L = 8; C = 20, L = 14)', () => {
    for (const [c, l] of [
      [16, 8],
      [20, 14],
    ] as const) {
      const other = estimateCost(darts({ layers: l, channels: c }).freeze(DARTS_V2), {
        inputShape: [32, 32, 3],
        classes: 10,
        batch: 1,
      });
      expect(other.params.trainable).toBe(dartsV2Params(c, l, 10));
    }
  });

  it("has 528,359,040 MACs by the same formulas (no strided dil_conv in DARTS_V2: PyTorch's count too)", () => {
    expect(dartsV2Macs(36, 20, 10, 32)).toBe(528_359_040);
    expect(cost.macs).toBe(528_359_040);
  });

  it('ends in 8×8×576 before the classifier', () => {
    expect(cost.layers.find((l) => l.name === 'c19')?.outputShape).toEqual([8, 8, 576]);
    expect(cost.outputs).toEqual([{ id: 'classifier', shape: [10] }]);
  });
});
