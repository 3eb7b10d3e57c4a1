import { describe, expect, it } from 'vitest';
import { archKey, assertArch } from '../../../src/space/index.js';
import { blockTotals, chain } from '../helpers.js';

const totals = (
  inputShape: number[],
  node: Parameters<typeof chain>[1],
  before: Parameters<typeof chain>[1][] = [],
) => {
  const arch = assertArch(chain(inputShape, ...before, node));
  return { arch, ...blockTotals(arch, node.id), shape: arch.nodes.find((n) => n.id === node.id)?.shape };
};

describe('basic residual block', () => {
  it('identity shortcut when the shape is kept: 2·(9·64·64) + 2·128', () => {
    const t = totals([56, 56, 64], { id: 'b', op: 'basic', filters: 64 });
    expect(t.trainable).toBe(73_984);
    expect(t.ops.filter((op) => op === 'conv')).toHaveLength(2);
    expect(t.shape).toEqual([56, 56, 64]);
  });

  it('1×1 projection + BN when stride and channels change (torchvision layer2.0: 230,144)', () => {
    const t = totals([56, 56, 64], { id: 'b', op: 'basic', filters: 128, stride: 2 });
    expect(t.trainable).toBe(230_144);
    expect(t.ops.filter((op) => op === 'conv')).toHaveLength(3);
    expect(t.shape).toEqual([28, 28, 128]);
  });
});

describe('bottleneck block', () => {
  it('without projection (ResNet-50 layer1.1: 70,400)', () => {
    const t = totals([56, 56, 256], { id: 'b', op: 'bottleneck', filters: 256 });
    expect(t.trainable).toBe(70_400);
    expect(t.nonTrainable).toBe(2 * (64 + 64 + 256));
  });

  it('with projection (ResNet-50 layer1.0: 75,008) and MACs of its four convs', () => {
    const t = totals([56, 56, 64], { id: 'b', op: 'bottleneck', filters: 256 });
    expect(t.trainable).toBe(75_008);
    expect(t.macs).toBe((64 * 64 + 9 * 64 * 64 + 64 * 256 + 64 * 256) * 56 * 56);
  });

  it('stride on the 3×3 or on the 1×1 changes MACs, not params; groups divide the 3×3 weights', () => {
    const on3 = totals([56, 56, 256], { id: 'b', op: 'bottleneck', filters: 512, stride: 2 });
    const on1 = totals([56, 56, 256], { id: 'b', op: 'bottleneck', filters: 512, stride: 2, strideOn: '1x1' });
    expect(on1.trainable).toBe(on3.trainable);
    expect(on3.macs - on1.macs).toBe(256 * 128 * (56 * 56 - 28 * 28));
    const resnext = totals([56, 56, 256], { id: 'b', op: 'bottleneck', filters: 256, width: 128, groups: 32 });
    expect(resnext.trainable).toBe(256 * 128 + 256 + 9 * 4 * 128 + 256 + 128 * 256 + 512);
  });
});

describe('inverted residual', () => {
  it('expansion 1: no expand conv, no residual when channels change (MobileNetV2 features.1: 896)', () => {
    const t = totals([112, 112, 32], { id: 'r', op: 'inverted_residual', filters: 16, expansion: 1 });
    expect(t.trainable).toBe(896);
    expect(t.ops).toEqual(['dwconv', 'bn', 'act', 'conv', 'bn']);
  });

  it('expansion 6 with residual add (MobileNetV2 features.3: 8,832)', () => {
    const t = totals([56, 56, 24], { id: 'r', op: 'inverted_residual', filters: 24, expansion: 6 });
    expect(t.trainable).toBe(8832);
    expect(t.ops.at(-1)).toBe('add');
    expect(t.macs).toBe((24 * 144 + 144 * 24) * 56 * 56 + 9 * 144 * 56 * 56);
  });
});

describe('attention on a residual branch', () => {
  const se = (c: number, r: number): number => 2 * c * Math.floor(c / r) + Math.floor(c / r) + c;

  it('basic + SE (Hu et al. Fig. 3): SE after bn2, the addition reads it; parameters and MACs of both', () => {
    const plain = totals([8, 8, 64], { id: 'b', op: 'basic', filters: 64 });
    const t = totals([8, 8, 64], { id: 'b', op: 'basic', filters: 64, attention: 'se' });
    expect(t.trainable - plain.trainable).toBe(se(64, 16));
    expect(t.macs - plain.macs).toBe(2 * 64 * 4);
    expect(t.ops).toEqual([
      'conv',
      'bn',
      'act',
      'conv',
      'bn',
      'gap',
      'dense',
      'act',
      'dense',
      'act',
      'mul',
      'add',
      'act',
    ]);
    const node = (id: string) => t.arch.nodes.find((n) => n.id === id)?.node;
    expect(node('b/se/squeeze')?.inputs).toEqual(['b/bn2']);
    expect(node('b/add')?.inputs).toEqual(['b/se', 'input']);
  });

  it('bottleneck + CBAM (Woo et al. Fig. 3) with ratio 8, before the projected shortcut is added', () => {
    const plain = totals([8, 8, 64], { id: 'b', op: 'bottleneck', filters: 128, stride: 2 });
    const t = totals([8, 8, 64], {
      id: 'b',
      op: 'bottleneck',
      filters: 128,
      stride: 2,
      attention: 'cbam',
      attentionRatio: 8,
    });
    // Shared MLP 128 → 16 → 128 with biases, 7×7 conv on two maps, BN on one channel.
    expect(t.trainable - plain.trainable).toBe(se(128, 8) + 98 + 2);
    expect(t.nonTrainable - plain.nonTrainable).toBe(2);
    expect(t.macs - plain.macs).toBe(2 * (2 * 128 * 16) + 98 * 4 * 4);
    expect(t.arch.nodes.find((n) => n.id === 'b/add')?.node.inputs).toEqual(['b/cbam', 'b/proj_bn']);
  });

  it('inverted residual + SE (MobileNetV3): on the expanded map after the depthwise conv, ratio 4 by default', () => {
    const plain = totals([8, 8, 16], { id: 'r', op: 'inverted_residual', filters: 16, expansion: 6 });
    const t = totals([8, 8, 16], { id: 'r', op: 'inverted_residual', filters: 16, expansion: 6, attention: 'se' });
    expect(t.trainable - plain.trainable).toBe(se(96, 4));
    expect(t.arch.nodes.find((n) => n.id === 'r/se/squeeze')?.node.inputs).toEqual(['r/dw_act']);
    expect(t.arch.nodes.find((n) => n.id === 'r/project')?.node.inputs).toEqual(['r/se']);
    expect(t.ops.at(-1)).toBe('add');
  });

  it('attention "none" is the block without a module (one key)', () => {
    const key = (attention?: 'none') =>
      archKey(
        chain([8, 8, 16], { id: 'b', op: 'basic', filters: 16, ...(attention === undefined ? {} : { attention }) }),
      );
    expect(key('none')).toBe(key());
  });
});

describe('attention blocks', () => {
  it('SE with ratio 16 on 64 channels: dense 64→4→64 with biases', () => {
    const t = totals([8, 8, 64], { id: 'se', op: 'se', ratio: 16 });
    expect(t.trainable).toBe(64 * 4 + 4 + 4 * 64 + 64);
    expect(t.macs).toBe(512);
    expect(t.shape).toEqual([8, 8, 64]);
  });

  it('SE ratio changes the hidden width: ratio 4 → 16', () => {
    expect(totals([8, 8, 64], { id: 'se', op: 'se', ratio: 4 }).trainable).toBe(64 * 16 + 16 + 16 * 64 + 64);
  });

  it('CBAM: shared MLP counted once, run twice; 7×7 conv on two maps plus BN', () => {
    const t = totals([8, 8, 64], { id: 'cb', op: 'cbam' });
    expect(t.trainable).toBe(580 + 7 * 7 * 2 + 2);
    expect(t.nonTrainable).toBe(2);
    expect(t.macs).toBe(2 * 512 + 98 * 64);
    expect(t.shape).toEqual([8, 8, 64]);
  });
});

describe('feature-pyramid fusion', () => {
  const pyramid = [
    { id: 'c3', op: 'conv', filters: 64, kernel: 1, stride: 2 },
    { id: 'c4', op: 'conv', filters: 128, kernel: 1, stride: 2 },
  ] as const;

  it('lateral 1×1, top-down upsample + add, 3×3 smoothing; one output per level', () => {
    const spec = {
      ...chain([16, 16, 32], ...pyramid, { id: 'fpn', op: 'fpn', filters: 16, inputs: ['input', 'c3', 'c4'] }),
      output: ['fpn', 'fpn/out1', 'fpn/out2'],
    };
    const arch = assertArch(spec);
    const t = { arch, ...blockTotals(arch, 'fpn') };
    expect(t.trainable).toBe((32 + 1) * 16 + (64 + 1) * 16 + (128 + 1) * 16 + 3 * (9 * 16 * 16 + 16));
    expect(t.ops.filter((op) => op === 'upsample')).toHaveLength(2);
    const shape = (id: string) => t.arch.nodes.find((n) => n.id === id)?.shape;
    expect(shape('fpn')).toEqual([16, 16, 16]);
    expect(shape('fpn/out1')).toEqual([8, 8, 16]);
    expect(shape('fpn/out2')).toEqual([4, 4, 16]);
  });

  it('bidirectional (PANet): a stride-2 3×3 + ReLU per step down, added to the smoothed level, 3×3 + ReLU; counted exactly', () => {
    const at = (path: 'top-down' | 'bidirectional') => {
      const fpn = { id: 'fpn', op: 'fpn', filters: 16, inputs: ['input', 'c3', 'c4'], path } as const;
      const arch = assertArch({ ...chain([16, 16, 32], ...pyramid, fpn), output: ['fpn', 'fpn/out1', 'fpn/out2'] });
      return { arch, ...blockTotals(arch, 'fpn') };
    };
    const conv3 = 9 * 16 * 16;
    const topDown = at('top-down');
    expect(topDown.trainable).toBe((32 + 1) * 16 + (64 + 1) * 16 + (128 + 1) * 16 + 3 * (conv3 + 16));
    // Laterals at 16², 8², 4²; smoothing at the three levels.
    expect(topDown.macs).toBe(256 * 32 * 16 + 64 * 64 * 16 + 16 * 128 * 16 + conv3 * (256 + 64 + 16));
    const both = at('bidirectional');
    // Two steps down, each a stride-2 3×3 onto the coarser level and a 3×3 there.
    expect(both.trainable - topDown.trainable).toBe(4 * (conv3 + 16));
    expect(both.macs - topDown.macs).toBe(2 * conv3 * 64 + 2 * conv3 * 16);
    expect(both.macs).toBe(1_372_160);
    const node = (id: string) => both.arch.nodes.find((n) => n.id === id);
    expect(node('fpn/down0')?.node).toMatchObject({ op: 'conv', inputs: ['fpn'], kernel: 3, stride: 2, padding: 1 });
    expect(node('fpn/bu1')?.node.inputs).toEqual(['fpn/down0_relu', 'fpn/smooth1']);
    expect(node('fpn/down1')?.node.inputs).toEqual(['fpn/out1']);
    expect(node('fpn/out2')?.node).toMatchObject({ op: 'act', fn: 'relu', inputs: ['fpn/bu2_conv'] });
    expect(['fpn', 'fpn/out1', 'fpn/out2'].map((id) => node(id)?.shape)).toEqual([
      [16, 16, 16],
      [8, 8, 16],
      [4, 4, 16],
    ]);
    expect(both.ops.filter((op) => op === 'act')).toHaveLength(4);
  });

  it('the default path is top-down (specs written before the option keep their meaning)', () => {
    const spec = (path?: 'top-down') => ({
      ...chain([16, 16, 32], ...pyramid, {
        id: 'fpn',
        op: 'fpn',
        filters: 16,
        inputs: ['input', 'c3', 'c4'],
        ...(path === undefined ? {} : { path }),
      }),
      output: ['fpn', 'fpn/out1', 'fpn/out2'],
    });
    expect(archKey(spec())).toBe(archKey(spec('top-down')));
    expect(assertArch(spec()).nodes.map((n) => n.id)).toEqual(assertArch(spec('top-down')).nodes.map((n) => n.id));
  });

  it('drops the levels nobody reads, as the built model does', () => {
    const t = totals([16, 16, 32], { id: 'fpn', op: 'fpn', filters: 16, inputs: ['input', 'c3', 'c4'] }, [...pyramid]);
    expect(t.arch.nodes.some((n) => n.id === 'fpn/out1' || n.id === 'fpn/out2')).toBe(false);
  });
});

describe('factorized reduce', () => {
  it('halves the resolution with two offset 1×1 /2 convs of filters/2, then BN', () => {
    const t = totals([8, 8, 16], { id: 'fr', op: 'factorized_reduce', filters: 32 });
    expect(t.shape).toEqual([4, 4, 32]);
    expect(t.trainable).toBe(2 * 16 * 16 + 64);
  });
});
