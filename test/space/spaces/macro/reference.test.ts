import { describe, expect, it } from 'vitest';
import type { ArchNode, ArchSpec } from '../../../../src/core/arch.js';
import { archKey, estimateCost } from '../../../../src/space/index.js';
import { mobilenetv2, resnet18, resnet34, resnet50 } from '../../../../src/space/reference/index.js';
import { macroPresets, type MacroSample } from '../../../../src/space/spaces/macro/index.js';
import { macro, stage } from './helpers.js';

const IMAGENET = { inputShape: [224, 224, 3], classes: 1000, batch: 1 } as const;

/** The reference spec as a space would freeze it: no input shape, the classifier sized by the data set. */
function asSpaceFreezes(spec: ArchSpec): ArchSpec {
  const nodes = spec.nodes.map((n): ArchNode => (n.op === 'dense' ? { ...n, units: 'classes' } : n));
  return { version: 1, nodes, output: spec.output };
}

const resnetLike = (block: 'basic' | 'bottleneck', depths: readonly number[], expansion = 1): MacroSample => ({
  stages: [64, 128, 256, 512].map((width, i) => stage(block, width, depths[i] ?? 0, i === 0 ? 1 : 2, { expansion })),
});

/** Sandler et al. 2018, Table 2: t, c, n, s. */
const MOBILENETV2: MacroSample = {
  stages: [
    [1, 16, 1, 1],
    [6, 24, 2, 2],
    [6, 32, 3, 2],
    [6, 64, 4, 2],
    [6, 96, 3, 1],
    [6, 160, 3, 2],
    [6, 320, 1, 1],
  ].map(([t, c, n, s]) =>
    stage('inverted_residual', c as number, n as number, s as number, { expansion: t as number }),
  ),
};

describe.each([
  ['ResNet-18', {}, resnetLike('basic', [2, 2, 2, 2]), resnet18(), 11_689_512, 1_814_073_344],
  // ResNet-18's MACs plus 8 more basic blocks, each 2·9·C²·HW = 231,211,008 at every stage: 3,663,761,408.
  ['ResNet-34', {}, resnetLike('basic', [3, 4, 6, 3]), resnet34(), 21_797_672, 1_814_073_344 + 8 * 231_211_008],
  ['ResNet-50', {}, resnetLike('bottleneck', [3, 4, 6, 3], 4), resnet50(), 25_557_032, 4_089_184_256],
  ['MobileNetV2', macroPresets.mobilenetv2, MOBILENETV2, mobilenetv2(), 3_504_872, 300_774_272],
] as const)('%s is a point of the macro space', (_name, options, sample, ref, params, macs) => {
  const space = macro(options);
  const ours = estimateCost(space.freeze(sample), IMAGENET);
  const theirs = estimateCost(ref, IMAGENET);

  it('as a valid sample of the preset', () => {
    expect(space.validate(sample)).toEqual([]);
  });

  it("with the reference's parameters (trainable and total) and MACs", () => {
    expect(ours.params).toEqual(theirs.params);
    expect(ours.params.trainable).toBe(params);
    expect(ours.macs).toBe(theirs.macs);
    expect(ours.macs).toBe(macs);
  });

  it("with the reference's archKey (input shape and class count left to the data set)", () => {
    expect(archKey(space.freeze(sample))).toBe(archKey(asSpaceFreezes(ref)));
  });
});

describe('near the references', () => {
  it('ResNet-18 with a 5×5 kernel and expansion 6 written in is still ResNet-18 (basic blocks have neither)', () => {
    const space = macro();
    const noisy: MacroSample = {
      stages: resnetLike('basic', [2, 2, 2, 2]).stages.map((st) => ({ ...st, kernel: 5, expansion: 6 })),
    };
    expect(space.key(noisy)).toBe(space.key(resnetLike('basic', [2, 2, 2, 2])));
    expect(archKey(space.freeze(noisy))).toBe(archKey(asSpaceFreezes(resnet18())));
  });

  it('SE after every block of ResNet-18 adds 2·C²/16 + C/16 + C per block: 89,080 parameters in all', () => {
    // Per SE on C channels: dense C → C/16 and C/16 → C, with biases; two blocks per width.
    const se = (c: number): number => 2 * ((c * c) / 16) + c / 16 + c;
    const space = macro();
    const withSe: MacroSample = {
      stages: resnetLike('basic', [2, 2, 2, 2]).stages.map((st) => ({ ...st, attention: 'se' as const })),
    };
    const extra = estimateCost(space.freeze(withSe), IMAGENET).params.trainable - 11_689_512;
    expect(extra).toBe(2 * (se(64) + se(128) + se(256) + se(512)));
    expect(extra).toBe(89_080);
  });
});
