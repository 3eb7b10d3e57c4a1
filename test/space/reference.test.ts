import { describe, expect, it } from 'vitest';
import { estimateCost, references, validateArch } from '../../src/space/index.js';

const cost = (name: string, o: { inputShape?: number[]; classes?: number } = {}) => {
  const ref = references[name];
  if (ref === undefined) throw new Error(`no reference ${name}`);
  return estimateCost(ref.build(o), { batch: 1 });
};

describe('reference networks at 224×224×3, 1000 classes (torchvision figures)', () => {
  it.each([
    ['resnet18', 11_689_512, 1_814_073_344],
    ['resnet50', 25_557_032, 4_089_184_256],
    ['mobilenetv2', 3_504_872, 300_774_272],
  ])('%s: %i trainable params, %i MACs', (name, params, macs) => {
    const c = cost(name);
    expect(c.params.trainable).toBe(params);
    expect(c.macs).toBe(macs);
    expect(c.flops).toBe(2 * macs);
    expect(c.outputs).toEqual([{ id: expect.any(String), shape: [1000] }]);
  });

  it('other published parameter counts: resnet34, resnet101, vgg11', () => {
    expect(cost('resnet34').params.trainable).toBe(21_797_672);
    expect(cost('resnet101').params.trainable).toBe(44_549_160);
    expect(cost('vgg11').params.trainable).toBe(132_863_336);
  });

  it('total = trainable + 2·C per BatchNorm (tfjs countParams)', () => {
    const c = cost('resnet50');
    const bnChannels = c.layers.filter((l) => l.op === 'bn').reduce((s, l) => s + (l.outputShape.at(-1) ?? 0), 0);
    expect(c.params.total).toBe(c.params.trainable + 2 * bnChannels);
  });

  it('the ResNet stem reaches 56×56 as in torchvision', () => {
    const c = cost('resnet18');
    expect(c.layers.find((l) => l.name === 'maxpool')?.outputShape).toEqual([56, 56, 64]);
    expect(c.layers.find((l) => l.name === 'layer4.1')?.outputShape).toEqual([7, 7, 512]);
  });

  it('builds valid specs for other inputs and class counts', () => {
    for (const ref of Object.values(references)) {
      expect(validateArch(ref.build({ inputShape: [32, 32, 3], classes: 10 }))).toEqual([]);
    }
    const c = cost('resnet18', { inputShape: [32, 32, 3], classes: 10 });
    expect(c.params.trainable).toBe(11_689_512 - 513 * 990);
  });
});
