import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OptionsError, UserError } from '../../../../src/core/errors.js';
import { resolveOptions } from '../../../../src/core/options.js';
import { Rng } from '../../../../src/core/rng.js';
import { archKey, assertArch, estimateCost } from '../../../../src/space/index.js';
import {
  DECISIONS,
  SETTINGS,
  macroPresets,
  macroSpace,
  type MacroSample,
} from '../../../../src/space/spaces/macro/index.js';
import { bruteForce, macro, stage } from './helpers.js';

const FC = { seed: 11, numRuns: 60 } as const;
const space = macro();
/** Two stages; every block kind, kernels 3/5, expansions 1/2, depth 0 or 1, SE on or off. */
const tiny = macro({
  stem: 'conv3x3',
  stemChannels: 8,
  stageWidths: [8, 16],
  widthMultipliers: ['1'],
  kernels: [3, 5],
  expansions: [1, 2],
  depths: [0, 1],
  strides: [1],
  attention: ['none', 'se'],
});
const RESNET18: MacroSample = { stages: [64, 128, 256, 512].map((w, i) => stage('basic', w, 2, i === 0 ? 1 : 2)) };

describe('macro space: decisions and size', () => {
  it('has the decisions of DECISIONS per stage, labelled stage<i>.<decision>, widths from base × multiplier', () => {
    const dims = space.dimensions();
    expect(dims.length).toBe(4 * DECISIONS.length + SETTINGS.length);
    expect(dims.slice(0, DECISIONS.length).map((d) => d.label)).toEqual(DECISIONS.map((d) => `stage1.${d}`));
    expect(dims.filter((d) => d.label.endsWith('.width')).map((d) => d.choices)).toEqual([
      [32, 64],
      [64, 128],
      [128, 256],
      [256, 512],
    ]);
    expect(dims[0]?.choices).toEqual(['basic', 'bottleneck', 'inverted_residual', 'separable']);
  });

  it('counts architectures, not decision vectors: per stage Σ_block kernels·expansions it uses, × widths · depths · strides · attention', () => {
    // basic 1, bottleneck 3 expansions, inverted residual 3 kernels × 3 expansions, separable 3 kernels: 16.
    expect(space.size()).toBe((16n * 2n * 5n * 2n * 3n) ** 4n);
    expect(space.size()).toBe(849_346_560_000n);
    // tiny: a stage is 1 (depth 0) + (1 + 2 + 4 + 2)·1·1·1·2 = 19.
    expect(tiny.size()).toBe(19n * 19n);
  });

  it('brute force over the tiny space: 4,096 decision vectors, 361 keys, 361 distinct frozen architectures', () => {
    const { vectors, archByKey: byKey } = bruteForce(tiny, (actual, expected) => expect(actual).toBe(expected));
    expect(vectors).toBe((4 * 2 * 2 * 1 * 2 * 1 * 2) ** 2);
    expect(byKey.size).toBe(361);
    expect(new Set(byKey.values()).size).toBe(361);
  });

  it("the presets resolve, and MobileNetV2's widths round to multiples of 8 (0.75 × 24 → 24)", () => {
    for (const preset of Object.values(macroPresets))
      expect(() => resolveOptions(macroSpace.options, preset, 'macro')).not.toThrow();
    const mobile = macro(macroPresets.mobilenetv2);
    expect(
      mobile
        .dimensions()
        .filter((d) => d.label.endsWith('.width'))
        .map((d) => d.choices),
    ).toEqual([[16], [24], [24, 32], [48, 64], [72, 96], [120, 160], [240, 320]]);
  });
});

describe('macro space: irrelevant decisions', () => {
  it("a basic block's kernel and expansion, and everything of a depth-0 stage, change neither key nor architecture", () => {
    const a: MacroSample = {
      stages: [stage('basic', 8, 1, 1, { kernel: 3, expansion: 1 }), stage('separable', 16, 0, 1, { kernel: 3 })],
    };
    const b: MacroSample = {
      stages: [
        stage('basic', 8, 1, 1, { kernel: 5, expansion: 2 }),
        stage('inverted_residual', 16, 0, 1, { kernel: 5, attention: 'se' }),
      ],
    };
    expect(tiny.key(b)).toBe(tiny.key(a));
    expect(archKey(tiny.freeze(b))).toBe(archKey(tiny.freeze(a)));
    const c: MacroSample = {
      stages: [stage('separable', 8, 1, 1, { kernel: 5 }), a.stages[1] ?? stage('basic', 16, 0, 1)],
    };
    expect(tiny.key(c)).not.toBe(
      tiny.key({ stages: [stage('separable', 8, 1, 1, { kernel: 3 }), a.stages[1] ?? stage('basic', 16, 0, 1)] }),
    );
  });

  it('equal keys exactly when the frozen architectures are equal (random pairs)', () => {
    let equal = 0;
    fc.assert(
      fc.property(fc.integer(), fc.integer(), (x, y) => {
        const [a, b] = [tiny.sample(new Rng(x)), tiny.sample(new Rng(y))];
        const sameKey = tiny.key(a) === tiny.key(b);
        expect(archKey(tiny.freeze(a)) === archKey(tiny.freeze(b))).toBe(sameKey);
        if (sameKey) equal++;
      }),
      { seed: 5, numRuns: 400 },
    );
    expect(equal).toBeGreaterThan(0);
  });
});

describe('macro space: moves', () => {
  it('neighbours of ResNet-18: per stage 3 blocks + 1 width + 4 depths + 1 stride + 2 attentions = 11, so 44', () => {
    const ns = space.neighbours(RESNET18);
    expect(ns.length).toBe(44);
    expect(new Set(ns.map((n) => space.key(n))).size).toBe(44);
    const inverted: MacroSample = {
      stages: [stage('inverted_residual', 64, 2, 1, { expansion: 6 }), ...RESNET18.stages.slice(1)],
    };
    expect(space.neighbours(inverted).length).toBe(44 + 2 + 2);
  });

  it('a depth-0 stage moves only its depth', () => {
    const s: MacroSample = { stages: [stage('basic', 8, 0, 1), stage('basic', 16, 1, 1)] };
    const ns = tiny.neighbours(s);
    expect(
      ns.filter((n) => JSON.stringify(n.stages[1]) === JSON.stringify(s.stages[1])).map((n) => n.stages[0]?.depth),
    ).toEqual([1]);
  });

  it('mutate changes one relevant decision and keeps the irrelevant ones as they were', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const s = space.sample(new Rng(seed));
        const m = space.mutate(s, new Rng(`m${seed}`));
        const [i, j] = [space.encode(s), space.encode(m)];
        const changed = i.flatMap((v, k) => (v === j[k] ? [] : [k]));
        expect(changed.length).toBe(1);
        const dim = changed[0] ?? 0;
        const original = s.stages[Math.floor(dim / DECISIONS.length)] ?? stage('basic', 0, 0, 0);
        const decision = DECISIONS[dim % DECISIONS.length] ?? 'block';
        const uses: Record<string, readonly string[]> = {
          basic: [],
          bottleneck: ['expansion'],
          inverted_residual: ['kernel', 'expansion'],
          separable: ['kernel'],
        };
        const relevant =
          decision === 'placement'
            ? original.attention !== 'none'
            : (decision !== 'kernel' && decision !== 'expansion') || (uses[original.block] ?? []).includes(decision);
        expect(relevant, `${decision} of a ${original.block} stage changed`).toBe(true);
        expect(space.key(m)).not.toBe(space.key(s));
      }),
      FC,
    );
  });

  it('crossover takes every stage whole from one parent or the other', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer(), (x, y) => {
        const [a, b] = [space.sample(new Rng(x)), space.sample(new Rng(`b${y}`))];
        const child = space.crossover(a, b, new Rng(x ^ y));
        child.stages.forEach((st, i) => expect(st === a.stages[i] || st === b.stages[i]).toBe(true));
      }),
      FC,
    );
  });
});

describe('macro network', () => {
  const cifar = macro(macroPresets.cifar);
  const at = (s: MacroSample, shape = [32, 32, 3]) => assertArch(cifar.freeze(s), { inputShape: shape, classes: 10 });

  it("a separable stage is MobileNetV1's unit: dw k×k-BN-ReLU, pw 1×1-BN-ReLU, stride on the first block only", () => {
    const s: MacroSample = {
      stages: [stage('separable', 32, 2, 2, { kernel: 5 }), stage('basic', 32, 1, 1), stage('basic', 64, 1, 1)],
    };
    const arch = at(s);
    const parts = arch.nodes.filter((n) => n.id.startsWith('layer1.0')).map((n) => [n.id, n.node.op]);
    expect(parts).toEqual([
      ['layer1.0.dw', 'dwconv'],
      ['layer1.0.dw_bn', 'bn'],
      ['layer1.0.dw_relu', 'act'],
      ['layer1.0.pw', 'conv'],
      ['layer1.0.pw_bn', 'bn'],
      ['layer1.0', 'act'],
    ]);
    expect(arch.nodes.find((n) => n.id === 'layer1.0')?.shape).toEqual([16, 16, 32]);
    expect(arch.nodes.find((n) => n.id === 'layer1.1')?.shape).toEqual([16, 16, 32]);
    // From the 16-channel stem: dw 25·16 + BN 32, pw 16·32 + BN 64 = 1,008; the second block: 25·32 + 64 + 32·32 + 64 = 1,952.
    const params = (prefix: string): number =>
      arch.nodes.filter((n) => n.id.startsWith(prefix)).reduce((t, n) => t + n.params.trainable, 0);
    expect([params('layer1.0'), params('layer1.1')]).toEqual([1_008, 1_952]);
  });

  it('a bottleneck stage outputs width × expansion, its inner width written only when it is not a quarter', () => {
    const s: MacroSample = {
      stages: [
        stage('bottleneck', 16, 1, 1, { expansion: 6 }),
        stage('bottleneck', 32, 1, 2, { expansion: 4 }),
        stage('basic', 64, 1, 1),
      ],
    };
    const spec = cifar.freeze(s);
    expect(spec.nodes.find((n) => n.id === 'layer1.0')).toMatchObject({ op: 'bottleneck', filters: 96, width: 16 });
    expect(spec.nodes.find((n) => n.id === 'layer2.0')).not.toHaveProperty('width');
    expect(at(s).nodes.find((n) => n.id === 'layer2.0/conv2')?.shape).toEqual([16, 16, 32]);
  });

  it('attention placed after follows each block of its stage and feeds the next block', () => {
    const after = { placement: 'after' } as const;
    const s: MacroSample = {
      stages: [
        stage('basic', 16, 2, 1, { attention: 'cbam', ...after }),
        stage('inverted_residual', 32, 1, 2, { attention: 'se', expansion: 6, ...after }),
        stage('basic', 64, 1, 1),
      ],
    };
    const spec = cifar.freeze(s);
    const chain = spec.nodes
      .filter((n) => n.op !== 'bn' && n.op !== 'act' && n.op !== 'conv')
      .map((n) => `${n.id}<${n.inputs.join(',')}`);
    expect(chain).toEqual([
      'layer1.0<stem_act',
      'layer1.0.cbam<layer1.0',
      'layer1.1<layer1.0.cbam',
      'layer1.1.cbam<layer1.1',
      'layer2.0<layer1.1.cbam',
      'layer2.0.se<layer2.0',
      'layer3.0<layer2.0.se',
      'avgpool<layer3.0',
      'fc<avgpool',
    ]);
  });

  it('names blocks features.<n> across stages after the MobileNetV2 stem', () => {
    const mobile = macro(macroPresets.mobilenetv2);
    const ids = mobile
      .freeze(mobile.sample(new Rng(4)))
      .nodes.filter((n) => n.id.startsWith('features.'))
      .map((n) => n.id);
    expect(ids.filter((id) => /^features\.\d+$/.test(id))).toEqual(
      ids.filter((id) => /^features\.\d+$/.test(id)).map((_, i) => `features.${i + 1}`),
    );
  });

  it('a stage of depth 0 is left out', () => {
    const s: MacroSample = { stages: [stage('basic', 8, 0, 1), stage('basic', 16, 1, 1)] };
    expect(tiny.freeze(s).nodes.map((n) => n.id)).toEqual(['stem', 'stem_bn', 'stem_act', 'layer2.0', 'avgpool', 'fc']);
    expect(estimateCost(tiny.freeze(s), { inputShape: [8, 8, 3], classes: 2, batch: 1 }).outputs).toEqual([
      { id: 'fc', shape: [2] },
    ]);
  });
});

describe('macro options and samples', () => {
  it('even kernels and repeated values fail when the space is made, every problem at once', () => {
    let error: unknown;
    try {
      macro({ kernels: [3, 4], depths: [1, 1] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OptionsError);
    expect((error as Error).message).toBe(
      'macro has invalid options (2):\n  • depths: expected distinct values, got [1, 1]\n  • kernels: expected odd sizes (symmetric padding), got [3, 4]',
    );
  });

  it('validate labels every bad decision; parse throws them as a SAMPLE error', () => {
    const bad = {
      stages: [
        { ...stage('basic', 64, 2, 1), kernel: 4 },
        { ...stage('basic', 100, 2, 2) },
        stage('basic', 256, 2, 2),
        { ...stage('basic', 512, 2, 2), extra: 1 },
      ],
    };
    expect(space.validate(bad).map((i) => i.path)).toEqual(['stage1.kernel', 'stage2.width', 'stage4.extra']);
    expect(space.validate({ stages: RESNET18.stages.slice(1) })).toEqual([
      { path: 'stages', message: 'expected 4 stages (one per entry of stageWidths), got 3 stages' },
    ]);
    expect(() => space.parse(JSON.stringify(bad))).toThrow(UserError);
    expect(() => space.parse(JSON.stringify(bad))).toThrow(/stage2\.width: expected one of 64, 128, got 100/);
    expect(() => space.parse('{')).toThrow(/sample: expected JSON/);
  });

  it('format is compact JSON with the decisions in encoding order, whatever order the sample has', () => {
    const reordered = {
      stages: RESNET18.stages.map((st) => Object.fromEntries(Object.entries(st).reverse())),
    } as unknown as MacroSample;
    expect(space.format(reordered)).toBe(space.format(RESNET18));
    expect(
      space
        .format(RESNET18)
        .startsWith(
          '{"stages":[{"block":"basic","kernel":3,"expansion":1,"width":64,"depth":2,"stride":1,"attention":"none","placement":"branch","groups":1}',
        ),
    ).toBe(true);
  });
});
