import { describe, expect, it } from 'vitest';
import { canonicalKey, type ArchSpec } from '../../../../src/core/arch.js';
import { OptionsError } from '../../../../src/core/errors.js';
import { Rng } from '../../../../src/core/rng.js';
import { archKey, assertArch, estimateCost } from '../../../../src/space/index.js';
import { SETTINGS, macroPresets, type MacroSample } from '../../../../src/space/spaces/macro/index.js';
import { bruteForce, macro, stage } from './helpers.js';

const IMAGENET = { inputShape: [224, 224, 3], classes: 1000, batch: 1 } as const;
const CIFAR = { inputShape: [32, 32, 3], classes: 10 } as const;
const messageOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

/** The three stages of the cifar preset: basic, bottleneck, inverted residual. */
const MIXED: MacroSample = {
  stages: [
    stage('basic', 16, 2, 1),
    stage('bottleneck', 16, 2, 2, { expansion: 4 }),
    stage('inverted_residual', 64, 2, 2, { expansion: 6 }),
  ],
};

describe("groups: a bottleneck stage's grouped 3×3 conv (ResNeXt)", () => {
  it("ResNeXt-50 32×4d is a point: stage widths 128 … 1024 (32 groups of 4 … 32 channels), expansion 2; torchvision's 25,028,904 parameters", () => {
    const space = macro({
      stageWidths: [128, 256, 512, 1024],
      widthMultipliers: ['1'],
      expansions: [2, 4],
      groups: [1, 32],
    });
    const resnext: MacroSample = {
      stages: [128, 256, 512, 1024].map((w, i) =>
        stage('bottleneck', w, [3, 4, 6, 3][i] ?? 0, i === 0 ? 1 : 2, { expansion: 2, groups: 32 }),
      ),
    };
    expect(space.validate(resnext)).toEqual([]);
    const spec = space.freeze(resnext);
    expect(spec.nodes.find((n) => n.id === 'layer1.0')).toEqual({
      id: 'layer1.0',
      op: 'bottleneck',
      inputs: ['maxpool'],
      filters: 256,
      stride: 1,
      width: 128,
      groups: 32,
    });
    const cost = estimateCost(spec, IMAGENET);
    expect(cost.params.trainable).toBe(25_028_904);
    // By hand: a block from C channels at H×H, inner width w, stride s on the 3×3 (H/s out), 32 groups:
    // 1×1 C·w·H², 3×3 9·(w/32)·w·(H/s)², 1×1 w·2w·(H/s)², and on the first block the projection C·2w·(H/s)².
    const block = (c: number, w: number, h: number, s: number, first: boolean): number =>
      c * w * h * h + ((9 * (w / 32) * w + w * 2 * w + (first ? c * 2 * w : 0)) * h * h) / (s * s);
    const layer = (c: number, w: number, h: number, s: number, n: number): number =>
      block(c, w, h, s, true) + (n - 1) * block(2 * w, w, h / s, 1, false);
    const stem = 7 * 7 * 3 * 64 * 112 * 112;
    const macs =
      stem +
      layer(64, 128, 56, 1, 3) +
      layer(256, 256, 56, 2, 4) +
      layer(512, 512, 28, 2, 6) +
      layer(1024, 1024, 14, 2, 3) +
      2048 * 1000;
    expect(cost.macs).toBe(macs);
    // torchvision lists 4.23 GFLOPS (multiply-adds) for resnext50_32x4d.
    expect(cost.macs).toBe(4_230_479_872);
  });

  it('is a per-stage decision, relevant only in bottleneck stages', () => {
    const space = macro({ groups: [1, 32] });
    expect(space.dimensions().find((d) => d.label === 'stage2.groups')?.choices).toEqual([1, 32]);
    const basic: MacroSample = { stages: [64, 128, 256, 512].map((w) => stage('basic', w, 1, 2)) };
    expect(space.key({ stages: basic.stages.map((st) => ({ ...st, groups: 32 })) })).toBe(space.key(basic));
    expect(space.neighbours(basic).some((n) => n.stages.some((st) => st.groups === 32))).toBe(false);
    const bottleneck: MacroSample = {
      stages: basic.stages.map((st) => ({ ...st, block: 'bottleneck' as const, expansion: 4 })),
    };
    expect(space.neighbours(bottleneck).filter((n) => n.stages.some((st) => st.groups === 32))).toHaveLength(4);
    // Per stage Σ_blocks: basic 1, bottleneck 3 expansions × 2 groups, inverted residual 9, separable 3 = 19.
    expect(space.size()).toBe((19n * 2n * 5n * 2n * 3n) ** 4n);
  });

  it('group counts must divide every width a stage can take: the options say which do not (only when bottlenecks are allowed)', () => {
    expect(messageOf(() => macro({ ...macroPresets.cifar, groups: [1, 32] }))).toBe(
      'macro has invalid options (2):\n' +
        '  • groups: every group count must divide every width of stage 1 (8, 16, 32), got 32 ∤ 8, 32 ∤ 16\n' +
        '  • groups: every group count must divide every width of stage 2 (16, 32, 64), got 32 ∤ 16',
    );
    expect(() => macro({ ...macroPresets.cifar, blocks: ['basic'], groups: [1, 32] })).not.toThrow();
    expect(() => macro({ ...macroPresets.cifar, groups: [1, 8] })).not.toThrow();
  });

  it("every sampled grouped bottleneck builds: the conv's groups divide its channels", () => {
    const space = macro({ ...macroPresets.cifar, groups: [1, 2, 4, 8], blocks: ['bottleneck'] });
    const rng = new Rng('groups');
    let grouped = 0;
    for (let i = 0; i < 30; i++) {
      const arch = assertArch(space.freeze(space.sample(rng)), CIFAR);
      grouped += arch.nodes.filter((n) => n.node.op === 'conv' && (n.node.groups ?? 1) > 1).length;
    }
    expect(grouped).toBeGreaterThan(0);
  });
});

describe('dropPath: stochastic depth on residual branches, linear in depth', () => {
  const space = macro({ ...macroPresets.cifar, dropPathRates: [0, 0.2] });

  it('block l of L drops its branch at dropPath · l / L; separable units have none', () => {
    const spec = space.freeze({ ...MIXED, dropPath: 0.2 });
    const rates = spec.nodes.filter((n) => 'dropPath' in n).map((n) => [n.id, (n as { dropPath: number }).dropPath]);
    expect(rates).toEqual([
      ['layer1.0', 0.2 / 6],
      ['layer1.1', 0.2 * (2 / 6)],
      ['layer2.0', 0.2 * (3 / 6)],
      ['layer2.1', 0.2 * (4 / 6)],
      ['layer3.0', 0.2 * (5 / 6)],
      ['layer3.1', 0.2],
    ]);
    // layer3.0 strides (no shortcut): the inverted residual has no drop-path node; layer3.1 has one.
    const arch = assertArch(spec, CIFAR);
    expect(arch.nodes.filter((n) => n.node.op === 'drop_path').map((n) => n.id)).toEqual([
      'layer1.0/drop_path',
      'layer1.1/drop_path',
      'layer2.0/drop_path',
      'layer2.1/drop_path',
      'layer3.1/drop_path',
    ]);
    expect(estimateCost(spec, { ...CIFAR, batch: 1 }).params).toEqual(
      estimateCost(space.freeze(MIXED), { ...CIFAR, batch: 1 }).params,
    );
  });

  it("is a network-wide decision after the stages', irrelevant without a residual block", () => {
    expect(
      space
        .dimensions()
        .slice(-SETTINGS.length)
        .map((d) => [d.label, d.choices]),
    ).toEqual([
      ['dropPath', [0, 0.2]],
      ['dropout', [0]],
      ['bnMomentum', [0.9]],
      ['bnEpsilon', [1e-5]],
    ]);
    const separable: MacroSample = { stages: MIXED.stages.map((st) => ({ ...st, block: 'separable' as const })) };
    expect(space.key({ ...separable, dropPath: 0.2 })).toBe(space.key(separable));
    expect(space.neighbours(separable).some((n) => n.dropPath === 0.2)).toBe(false);
    expect(space.neighbours(MIXED).filter((n) => n.dropPath === 0.2)).toHaveLength(1);
    expect(space.key({ ...MIXED, dropPath: 0.2 })).not.toBe(space.key(MIXED));
  });
});

describe('dropout of the head and BatchNorm momentum and epsilon', () => {
  it("dropout: before the classifier's dense layer when above 0; the mobilenetv2 head keeps its 0.2 unless told", () => {
    const space = macro({ ...macroPresets.cifar, dropoutRates: [0, 0.5] });
    const ids = (s: MacroSample) =>
      space
        .freeze(s)
        .nodes.slice(-3)
        .map((n) => `${n.id}:${n.op}`);
    expect(ids(MIXED)).toEqual(['layer3.1:inverted_residual', 'avgpool:gap', 'fc:dense']);
    expect(ids({ ...MIXED, dropout: 0.5 })).toEqual(['avgpool:gap', 'dropout:dropout', 'fc:dense']);
    expect(space.freeze({ ...MIXED, dropout: 0.5 }).nodes.find((n) => n.id === 'dropout')).toMatchObject({
      rate: 0.5,
      inputs: ['avgpool'],
    });
    const mobile = macro(macroPresets.mobilenetv2);
    expect(mobile.dimensions().find((d) => d.label === 'dropout')?.choices).toEqual([0.2]);
    const tuned = macro({ ...macroPresets.mobilenetv2, dropoutRates: [0, 0.2, 0.3] });
    const sample = tuned.sample(new Rng(1));
    expect(tuned.freeze({ ...sample, dropout: 0 }).nodes.some((n) => n.op === 'dropout')).toBe(false);
    expect(tuned.freeze({ ...sample, dropout: 0.3 }).nodes.find((n) => n.op === 'dropout')).toMatchObject({
      id: 'dropout',
      rate: 0.3,
    });
  });

  it("momentum and epsilon: the spec's batchNorm, which reaches every BN of the stem and the blocks", () => {
    const space = macro({ ...macroPresets.cifar, bnMomenta: [0.9, 0.99], bnEpsilons: [1e-5, 1e-3] });
    expect(space.freeze(MIXED)).not.toHaveProperty('batchNorm');
    const spec = space.freeze({ ...MIXED, bnMomentum: 0.99, bnEpsilon: 1e-3 });
    expect(spec.batchNorm).toEqual({ momentum: 0.99, epsilon: 1e-3 });
    const bns = assertArch(spec, CIFAR).nodes.filter((n) => n.node.op === 'bn');
    // The stem's; two basic blocks' 2 each; bottlenecks 3 each and a projection; inverted residuals 3 each.
    expect(bns.length).toBe(1 + 2 * 2 + (2 * 3 + 1) + 2 * 3);
    expect(
      new Set(
        bns.map((n) => JSON.stringify([n.node.op === 'bn' && n.node.momentum, n.node.op === 'bn' && n.node.epsilon])),
      ),
    ).toEqual(new Set(['[0.99,0.001]']));
    expect(space.freeze({ ...MIXED, bnMomentum: 0.99 }).batchNorm).toEqual({ momentum: 0.99 });
  });

  it('option lists are checked: rates in [0, 1), momenta in [0, 1), positive epsilons, distinct values', () => {
    expect(
      messageOf(() => macro({ dropPathRates: [0.1, 1], dropoutRates: [0.5, 0.5], bnMomenta: [1], bnEpsilons: [0] })),
    ).toBe(
      'macro has invalid options (4):\n' +
        '  • dropPathRates: expected rates in [0, 1), got [0.1, 1]\n' +
        '  • dropoutRates: expected distinct values, got [0.5, 0.5]\n' +
        '  • bnMomenta: expected momenta in [0, 1), got [1]\n' +
        '  • bnEpsilons: expected positive numbers, got [0]',
    );
    expect(messageOf(() => macro({ dropPathRates: ['0.1'] }))).toMatch(
      /dropPathRates: expected a list of numbers in 0\.\.1, got \["0\.1"\]/,
    );
    expect(() => macro({ groups: [1, 1] })).toThrow(OptionsError);
  });
});

describe('samples stored before groups and the settings were decisions', () => {
  /** As an earlier version wrote a sample: seven decisions per stage, no settings. */
  const STORED = {
    stages: [
      { block: 'basic', kernel: 3, expansion: 1, width: 16, depth: 2, stride: 1, attention: 'none' },
      { block: 'bottleneck', kernel: 3, expansion: 4, width: 16, depth: 2, stride: 2, attention: 'none' },
      { block: 'inverted_residual', kernel: 5, expansion: 6, width: 64, depth: 1, stride: 2, attention: 'none' },
    ],
  } as unknown as MacroSample;
  const cifar = macro(macroPresets.cifar);

  it('are valid and keep the key and the network they had (no groups, drop-path, dropout; BN defaults)', () => {
    expect(cifar.validate(STORED)).toEqual([]);
    // The key an earlier version gave: the canonical stage's seven decisions, nothing else.
    expect(cifar.key(STORED)).toBe(canonicalKey(STORED));
    const spec: ArchSpec = cifar.freeze(STORED);
    expect(spec.nodes.filter((n) => 'groups' in n || 'dropPath' in n || n.op === 'dropout')).toEqual([]);
    expect(spec).not.toHaveProperty('batchNorm');
    expect(archKey(spec)).toBe(
      archKey(
        cifar.freeze({
          stages: STORED.stages.map((st) => ({ ...st, groups: 1 })),
          dropPath: 0,
          dropout: 0,
          bnMomentum: 0.9,
          bnEpsilon: 1e-5,
        }),
      ),
    );
  });

  it('read as the legacy values in every form: encode, format, parse', () => {
    const space = macro({ ...macroPresets.cifar, groups: [1, 2], dropPathRates: [0, 0.1], bnMomenta: [0.99, 0.9] });
    expect(space.validate(STORED)).toEqual([]);
    const parsed = space.parse(JSON.stringify(STORED));
    expect(parsed).toMatchObject({ dropPath: 0, dropout: 0, bnMomentum: 0.9, bnEpsilon: 1e-5 });
    expect(parsed.stages.map((st) => st.groups)).toEqual([1, 1, 1]);
    expect(space.encode(STORED).slice(-SETTINGS.length)).toEqual([0, 0, 1, 0]);
    expect(space.format(STORED)).toBe(space.format(parsed));
    expect(
      space.format(STORED).endsWith('"groups":1}],"dropPath":0,"dropout":0,"bnMomentum":0.9,"bnEpsilon":0.00001}'),
    ).toBe(true);
    expect(space.key(STORED)).toBe(canonicalKey(STORED));
  });

  it('a space without the legacy value says why it cannot read them', () => {
    const space = macro({ ...macroPresets.cifar, groups: [2], dropPathRates: [0.1] });
    expect(space.validate(STORED)).toEqual([
      {
        path: 'dropPath',
        message: 'expected one of 0.1, got nothing, which means 0 (a sample stored before dropPath was a decision)',
      },
      {
        path: 'stage2.groups',
        message: 'expected one of 2, got nothing, which means 1 (a sample stored before groups was a decision)',
      },
    ]);
    expect(space.validate({ ...STORED, dropout: 0.3, extra: 1 }).map((i) => `${i.path}: ${i.message}`)).toContain(
      'extra: unknown field; expected stages, dropPath, dropout, bnMomentum, bnEpsilon',
    );
  });
});

describe('the settings in a search', () => {
  /** Two stages of basic, bottleneck or separable blocks, everything else small; groups and three settings with two choices each. */
  const tiny = macro({
    stem: 'conv3x3',
    stemChannels: 8,
    stageWidths: [8, 16],
    widthMultipliers: ['1'],
    blocks: ['basic', 'bottleneck', 'separable'],
    kernels: [3],
    expansions: [2],
    depths: [0, 1],
    strides: [1],
    attention: ['none'],
    groups: [1, 2],
    dropPathRates: [0, 0.1],
    dropoutRates: [0, 0.3],
    bnMomenta: [0.9, 0.99],
  });

  it('brute force: 2,304 decision vectors, 184 keys, 184 distinct frozen architectures (the size)', () => {
    // Per stage: depth 0, or basic, bottleneck × 2 groups, separable: 5; 25 stage pairs, 4 of them without a residual block
    // (depth 0 or separable): dropPath doubles 21 of them: 46; × dropout 2 × momentum 2 = 184.
    expect(tiny.size()).toBe(184n);
    const { vectors, archByKey: byKey } = bruteForce(tiny, (actual, expected) => expect(actual).toBe(expected));
    expect(vectors).toBe((3 * 2 * 2) ** 2 * 2 * 2 * 2);
    expect(byKey.size).toBe(184);
    expect(new Set(byKey.values()).size).toBe(184);
  });

  it('mutate moves the settings too, crossover takes each from one parent or the other', () => {
    const rng = new Rng('settings');
    const moved = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const s = tiny.sample(rng);
      const m = tiny.mutate(s, rng);
      expect(tiny.key(m)).not.toBe(tiny.key(s));
      for (const k of SETTINGS) if (m[k] !== s[k]) moved.add(k);
      const other = tiny.sample(rng);
      const child = tiny.crossover(s, other, rng);
      for (const k of SETTINGS) expect([s[k], other[k]]).toContain(child[k]);
      expect(tiny.validate(child)).toEqual([]);
    }
    expect([...moved].sort()).toEqual(['bnMomentum', 'dropPath', 'dropout']);
  });
});
