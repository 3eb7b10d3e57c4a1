import { describe, expect, it } from 'vitest';
import { assertArch } from '../../../src/space/index.js';
import { blockTotals, chain } from '../helpers.js';

const totals = (inputShape: number[], node: Parameters<typeof chain>[1], before: Parameters<typeof chain>[1][] = []) => {
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
    const spec = { ...chain([16, 16, 32], ...pyramid, { id: 'fpn', op: 'fpn', filters: 16, inputs: ['input', 'c3', 'c4'] }), output: ['fpn', 'fpn/out1', 'fpn/out2'] };
    const arch = assertArch(spec);
    const t = { arch, ...blockTotals(arch, 'fpn') };
    expect(t.trainable).toBe((32 + 1) * 16 + (64 + 1) * 16 + (128 + 1) * 16 + 3 * (9 * 16 * 16 + 16));
    expect(t.ops.filter((op) => op === 'upsample')).toHaveLength(2);
    const shape = (id: string) => t.arch.nodes.find((n) => n.id === id)?.shape;
    expect(shape('fpn')).toEqual([16, 16, 16]);
    expect(shape('fpn/out1')).toEqual([8, 8, 16]);
    expect(shape('fpn/out2')).toEqual([4, 4, 16]);
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
