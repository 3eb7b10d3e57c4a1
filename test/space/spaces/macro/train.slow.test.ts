import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/core/rng.js';
import { macroPresets, type MacroSample, type MacroSpace } from '../../../../src/space/spaces/macro/index.js';
import { trainOneStep } from '../train-step.js';
import { macro, stage } from './helpers.js';

const cifar = macro(macroPresets.cifar);
const mobile = macro(macroPresets.mobilenetv2);
const resnet = macro();
const cifarBoth = macro({ ...macroPresets.cifar, attentionPlacement: ['branch', 'after'] });
const cifarTuned = macro({
  ...macroPresets.cifar,
  groups: [1, 8],
  dropPathRates: [0, 0.2],
  dropoutRates: [0, 0.3],
  bnMomenta: [0.9, 0.99],
  bnEpsilons: [1e-5, 1e-3],
});
const rng = new Rng('macro-slow');

/** One stage of each block kind, with both attentions (on the branch). */
const EVERY_BLOCK: MacroSample = {
  stages: [
    stage('separable', 16, 2, 1, { kernel: 7, attention: 'cbam' }),
    stage('bottleneck', 16, 1, 2, { expansion: 6, attention: 'se' }),
    stage('inverted_residual', 64, 2, 2, { kernel: 5, expansion: 4 }),
  ],
};

const CASES: readonly [string, MacroSpace, MacroSample][] = [
  ['cifar: every block kind, SE and CBAM', cifar, EVERY_BLOCK],
  [
    'cifar: every block kind, SE and CBAM placed after',
    cifarBoth,
    { stages: EVERY_BLOCK.stages.map((st) => ({ ...st, placement: 'after' as const })) },
  ],
  ['cifar: random', cifar, cifar.sample(rng)],
  ['cifar: random', cifar, cifar.sample(rng)],
  ['ResNet-18', resnet, { stages: [64, 128, 256, 512].map((w, i) => stage('basic', w, 2, i === 0 ? 1 : 2)) }],
  ['mobilenetv2 preset: random', mobile, mobile.sample(rng)],
  [
    'cifar: grouped bottlenecks (8 groups), drop-path 0.2, dropout 0.3, BN momentum 0.99 and epsilon 1e-3',
    cifarTuned,
    {
      stages: [
        stage('basic', 16, 2, 1),
        stage('bottleneck', 32, 2, 2, { expansion: 4, groups: 8 }),
        stage('inverted_residual', 64, 2, 2, { expansion: 6 }),
      ],
      dropPath: 0.2,
      dropout: 0.3,
      bnMomentum: 0.99,
      bnEpsilon: 1e-3,
    },
  ],
];

describe('macro frozen samples train on the native backend (32×32×3, 10 classes)', () => {
  it.each(CASES)(
    '%s: builds, counts what the cost model counts, trains one step, leaks nothing',
    async (_, space, sample) => {
      expect(space.validate(sample)).toEqual([]);
      const r = await trainOneStep(space, sample);
      expect(Number.isFinite(r.loss)).toBe(true);
      expect(r.countParams).toBe(r.costTotal);
      expect(r.modelTrainable).toBe(r.costTrainable);
      expect(r.maxWeightChange).toBeGreaterThan(0);
      expect(r.leakedTensors).toBe(0);
    },
  );
});
