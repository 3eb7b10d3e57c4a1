import { describe, expect, it } from 'vitest';
import { estimateCost, references, validateArch } from '../../src/space/index.js';

const cost = (name: string, o: { inputShape?: number[]; classes?: number } = {}) => {
  const ref = references[name];
  if (ref === undefined) throw new Error(`no reference ${name}`);
  return estimateCost(ref.build(o), { batch: 1 });
};

/** ResNet-50's bottleneck outputs: C channels, blocks per stage. */
const STAGES = [
  [256, 3],
  [512, 4],
  [1024, 6],
  [2048, 3],
] as const;
const perBlock = (f: (c: number) => number): number => STAGES.reduce((s, [c, n]) => s + n * f(c), 0);
/** Spatial positions of the 16 bottleneck outputs at 224×224, summed: 3·56² + 4·28² + 6·14² + 3·7² = 13,867. */
const POSITIONS = perBlock((c) => (56 / (c / 256)) ** 2);
/**
 * ResNet-50 with the stride on the first 1×1 (He et al. 2016's layout, "3.8 GFLOPs"): torchvision's
 * 4,089,184,256 less 3/4 of the first 1×1 of each of the three stride-2 blocks (each 102,760,448 MACs at the finer level).
 */
const RESNET50_V1_MACS = 4_089_184_256 - 3 * 0.75 * (256 * 128 * 56 * 56);

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

  it("SE-ResNet-50 (Hu et al. 2018): 28,088,024 parameters exactly; MACs within the rounding of the papers' figures", () => {
    const c = cost('se_resnet50');
    // Exact: the count public SE-ResNet-50 implementations give, by hand ResNet-50 + Σ (2·C²/16 + C/16 + C).
    expect(c.params.trainable).toBe(25_557_032 + perBlock((ch) => (2 * ch * ch) / 16 + ch / 16 + ch));
    expect(c.params.trainable).toBe(28_088_024);
    // MACs by hand: ResNet-50 with the stride on the 1×1, as the authors' models, plus the SE dense layers Σ 2·C²/16.
    expect(RESNET50_V1_MACS).toBe(3_857_973_248);
    expect(c.macs).toBe(RESNET50_V1_MACS + perBlock((ch) => (2 * ch * ch) / 16));
    // Rounding only: Woo et al.'s table gives ResNet-50 3.858 and ResNet-50 + SE 3.860 GFLOPs (MACs alone).
    expect(Math.round(RESNET50_V1_MACS / 1e6) / 1e3).toBe(3.858);
    expect(Math.round(c.macs / 1e6) / 1e3).toBe(3.86);
    // Hu et al. give 3.86 for ResNet-50 and ~3.87 for SE-ResNet-50, whose 0.26% increase also counts the SE's
    // element ops: the squeeze (global average pool), the gates and the channel scaling, the cost model's otherOps.
    const seOps = c.layers.filter((l) => /\/se(\/|$)/.test(l.name)).reduce((s, l) => s + l.otherOps, 0);
    expect(seOps).toBe(perBlock((ch) => 2 * ((56 * 256) / ch) ** 2 * ch + ch + ch / 16));
    expect(Math.round(RESNET50_V1_MACS / 1e7) / 100).toBe(3.86);
    expect(Math.round((c.macs + seOps) / 1e7) / 100).toBe(3.87);
  });

  it("CBAM-ResNet-50 (Woo et al. 2018): 28,089,624 parameters exactly; 3.864 GFLOPs within the paper's rounding", () => {
    const c = cost('cbam_resnet50');
    // Exact: SE-ResNet-50's count plus, per block, the 7×7 conv on two maps (98) and its one-channel BN (2), as public implementations count it.
    expect(c.params.trainable).toBe(28_088_024 + 16 * (98 + 2));
    expect(c.params.trainable).toBe(28_089_624);
    expect(Math.round(c.params.trainable / 1e4) / 100).toBe(28.09);
    // The shared MLP runs twice (average- and max-pooled), the 7×7 conv once per position.
    expect(c.macs).toBe(RESNET50_V1_MACS + 2 * perBlock((ch) => (2 * ch * ch) / 16) + 98 * POSITIONS);
    expect(c.macs).toBe(3_864_362_102);
    expect(Math.round(c.macs / 1e6) / 1e3).toBe(3.864);
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
