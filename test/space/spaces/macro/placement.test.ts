import { describe, expect, it } from 'vitest';
import { archKey, assertArch, estimateCost } from '../../../../src/space/index.js';
import { MISSING, macroPresets, type MacroSample, type MacroStage } from '../../../../src/space/spaces/macro/index.js';
import { macro, stage } from './helpers.js';

const CIFAR = { inputShape: [32, 32, 3], classes: 10 } as const;
const cifar = macro(macroPresets.cifar);
const both = macro({ ...macroPresets.cifar, attentionPlacement: ['branch', 'after'] });
const inputsOf = (s: MacroSample, id: string) =>
  assertArch(cifar.freeze(s), CIFAR).nodes.find((n) => n.id === id)?.node.inputs;

describe('attention on the branch (the default placement)', () => {
  it("SE-ResNet / CBAM: the module is the block's, after its last BN, and the addition reads it", () => {
    const s: MacroSample = {
      stages: [
        stage('basic', 16, 1, 1, { attention: 'se' }),
        stage('bottleneck', 8, 1, 2, { attention: 'cbam', expansion: 4 }),
        stage('basic', 64, 0, 1),
      ],
    };
    const spec = cifar.freeze(s);
    expect(spec.nodes.find((n) => n.id === 'layer1.0')).toEqual({
      id: 'layer1.0',
      op: 'basic',
      inputs: ['stem_act'],
      filters: 16,
      stride: 1,
      attention: 'se',
    });
    expect(spec.nodes.some((n) => n.id.endsWith('.se') || n.id.endsWith('.cbam'))).toBe(false);
    expect(inputsOf(s, 'layer1.0/se/squeeze')).toEqual(['layer1.0/bn2']);
    expect(inputsOf(s, 'layer1.0/add')).toEqual(['layer1.0/se', 'stem_act']);
    expect(inputsOf(s, 'layer2.0/cbam/avg')).toEqual(['layer2.0/bn3']);
    expect(inputsOf(s, 'layer2.0/add')).toEqual(['layer2.0/cbam', 'layer2.0/proj_bn']);
  });

  it('MobileNetV3: in an inverted residual and a separable unit the module follows the depthwise conv (ratio 4)', () => {
    const s: MacroSample = {
      stages: [
        stage('separable', 16, 1, 1, { attention: 'se' }),
        stage('inverted_residual', 16, 1, 1, { attention: 'se', expansion: 4 }),
        stage('basic', 64, 0, 1),
      ],
    };
    expect(inputsOf(s, 'layer1.0.dw_se/squeeze')).toEqual(['layer1.0.dw_relu']);
    expect(inputsOf(s, 'layer1.0.pw')).toEqual(['layer1.0.dw_se']);
    expect(inputsOf(s, 'layer2.0/se/squeeze')).toEqual(['layer2.0/dw_act']);
    expect(inputsOf(s, 'layer2.0/project')).toEqual(['layer2.0/se']);
    // On the 64 expanded channels: dense 64 → 16 → 64 with biases.
    const arch = assertArch(cifar.freeze(s), CIFAR);
    const se = arch.nodes.filter((n) => n.id.startsWith('layer2.0/se/')).reduce((t, n) => t + n.params.trainable, 0);
    expect(se).toBe(64 * 16 + 16 + 16 * 64 + 64);
  });

  it('branch and after: other architectures, the same parameters', () => {
    const at = (placement: 'branch' | 'after'): MacroSample => ({
      stages: [
        stage('basic', 16, 2, 1, { attention: 'cbam', placement }),
        stage('basic', 32, 1, 2),
        stage('basic', 64, 1, 2),
      ],
    });
    expect(archKey(both.freeze(at('branch')))).not.toBe(archKey(both.freeze(at('after'))));
    expect(both.key(at('branch'))).not.toBe(both.key(at('after')));
    const params = (p: 'branch' | 'after') => estimateCost(both.freeze(at(p)), { ...CIFAR, batch: 1 }).params;
    expect(params('branch')).toEqual(params('after'));
  });

  it("SE-ResNet-50 in torchvision's layout (stride on the 3×3) is a point of the default space: 28,088,024 parameters", () => {
    const sample: MacroSample = {
      stages: [64, 128, 256, 512].map((w, i) =>
        stage('bottleneck', w, [3, 4, 6, 3][i] ?? 0, i === 0 ? 1 : 2, { expansion: 4, attention: 'se' }),
      ),
    };
    const space = macro();
    expect(space.validate(sample)).toEqual([]);
    const cost = estimateCost(space.freeze(sample), { inputShape: [224, 224, 3], classes: 1000, batch: 1 });
    expect(cost.params.trainable).toBe(28_088_024);
    // ResNet-50's MACs plus the SE dense layers: Σ_blocks 2·C²/16 = 3·8,192 + 4·32,768 + 6·131,072 + 3·524,288.
    expect(cost.macs).toBe(4_089_184_256 + 2_514_944);
  });
});

describe('the placement decision (attentionPlacement: [branch, after])', () => {
  it('is a per-stage decision, relevant only where the stage has attention', () => {
    expect(both.dimensions().find((d) => d.label === 'stage2.placement')?.choices).toEqual(['branch', 'after']);
    expect(cifar.dimensions().find((d) => d.label === 'stage2.placement')?.choices).toEqual(['branch']);
    // Per stage the attention factor is none + (se, cbam) × placements: 3 with one placement, 5 with two.
    expect(macro({ ...macroPresets.cifar, attentionPlacement: ['after'] }).size()).toBe(cifar.size());
    expect(both.size() * 3n ** 3n).toBe(cifar.size() * 5n ** 3n);
    const plain: MacroSample = {
      stages: [stage('basic', 16, 1, 1), stage('basic', 32, 1, 2), stage('basic', 64, 1, 2)],
    };
    expect(both.key({ stages: plain.stages.map((st) => ({ ...st, placement: 'after' as const })) })).toBe(
      both.key(plain),
    );
    const withSe: MacroSample = { stages: [stage('basic', 16, 1, 1, { attention: 'se' }), ...plain.stages.slice(1)] };
    const moved = both.neighbours(withSe).filter((n) => n.stages[0]?.placement === 'after');
    expect(moved.map((n) => both.key(n))).toEqual([
      both.key({ stages: [{ ...(withSe.stages[0] as MacroStage), placement: 'after' }, ...plain.stages.slice(1)] }),
    ]);
    expect(both.neighbours(withSe).length).toBe(both.neighbours(plain).length + 1);
  });
});

describe('samples stored before placement was a decision', () => {
  /** As an earlier version formatted a sample: SE after every block of stage 1, no attention elsewhere. */
  const STORED =
    '{"stages":[{"block":"basic","kernel":3,"expansion":1,"width":16,"depth":2,"stride":1,"attention":"se"},' +
    '{"block":"basic","kernel":3,"expansion":1,"width":32,"depth":1,"stride":2,"attention":"none"},' +
    '{"block":"basic","kernel":3,"expansion":1,"width":64,"depth":1,"stride":2,"attention":"none"}]}';
  const stored = JSON.parse(STORED) as MacroSample;
  const explicit: MacroSample = {
    stages: stored.stages.map((st, i) => ({ ...st, placement: i === 0 ? 'after' : 'branch' })),
  };

  it('a left-out placement means "after", where attention went before (MISSING)', () => {
    expect(MISSING.placement).toBe('after');
  });

  it('validate, parse, encode and key read it as "after" where the space offers it', () => {
    for (const space of [both, macro({ ...macroPresets.cifar, attentionPlacement: ['after'] })]) {
      expect(space.validate(stored)).toEqual([]);
      expect(space.key(stored)).toBe(space.key(explicit));
    }
    expect(both.encode(stored)).toEqual(both.encode(explicit));
    expect(both.parse(STORED)).toMatchObject(explicit);
    expect(both.format(stored)).toBe(both.format(explicit));
    expect(both.encode(stored)[7]).toBe(1);
  });

  it('and freeze gives the network it gave: the module follows the block as <block>.se', () => {
    const spec = both.freeze(stored);
    expect(archKey(spec)).toBe(archKey(both.freeze(explicit)));
    const ids = spec.nodes
      .filter((n) => n.id.startsWith('layer1.'))
      .map((n) => `${n.id}:${n.op}<${n.inputs.join(',')}`);
    expect(ids).toEqual([
      'layer1.0:basic<stem_act',
      'layer1.0.se:se<layer1.0',
      'layer1.1:basic<layer1.0.se',
      'layer1.1.se:se<layer1.1',
    ]);
    expect(spec.nodes.find((n) => n.id === 'layer1.0')).not.toHaveProperty('attention');
  });

  it('a space that offers only "branch" (the default) says why it cannot read it', () => {
    expect(cifar.validate(stored)).toEqual([
      {
        path: 'stage1.placement',
        message:
          'expected one of branch, got nothing, which means "after" (a sample stored before placement was a decision)',
      },
    ]);
    expect(() => cifar.parse(STORED)).toThrow(
      /stage1\.placement: expected one of branch, got nothing, which means "after"/,
    );
  });

  it('without attention the placement is irrelevant: a stored sample is valid everywhere and keeps its key', () => {
    const plain = JSON.parse(STORED.replace('"attention":"se"', '"attention":"none"')) as MacroSample;
    expect(cifar.validate(plain)).toEqual([]);
    expect(cifar.parse(JSON.stringify(plain)).stages.map((st) => st.placement)).toEqual(['branch', 'branch', 'branch']);
    expect(cifar.key(plain)).toBe(
      cifar.key({ stages: plain.stages.map((st) => ({ ...st, placement: 'branch' as const })) }),
    );
  });
});
