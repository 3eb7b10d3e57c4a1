import type { ArchSpec, BottleneckNode } from '../../core/arch.js';
import { Chain, IMAGENET, type ReferenceOptions } from './common.js';

type Kind = 'basic' | 'bottleneck';
/** What a variant changes in every bottleneck: where the stride goes, the attention on the branch. */
type Variant = Pick<BottleneckNode, 'strideOn' | 'attention'>;

/** torchvision stem: 7×7/2 conv (padding 3) → BN → ReLU → 3×3/2 max pool (padding 1): 224 → 56. */
function stem(c: Chain): void {
  c.add({ id: 'conv1', op: 'conv', filters: 64, kernel: 7, stride: 2, padding: 3, bias: false });
  c.add({ id: 'bn1', op: 'bn' });
  c.add({ id: 'relu', op: 'act', fn: 'relu' });
  c.add({ id: 'maxpool', op: 'maxpool', kernel: 3, stride: 2, padding: 1 });
}

/** ResNet (He et al. 2016) in torchvision's layout: stages of blocks, GAP, dense. */
function resnet(
  name: string,
  kind: Kind,
  depths: readonly number[],
  o: ReferenceOptions,
  variant: Variant = {},
): ArchSpec {
  const c = new Chain();
  stem(c);
  const expansion = kind === 'basic' ? 1 : 4;
  depths.forEach((depth, stage) => {
    const filters = 64 * 2 ** stage * expansion;
    for (let b = 0; b < depth; b++) {
      const stride = b === 0 && stage > 0 ? 2 : 1;
      const id = `layer${stage + 1}.${b}`;
      if (kind === 'basic') c.add({ id, op: 'basic', filters, stride });
      else c.add({ id, op: 'bottleneck', filters, stride, ...variant });
    }
  });
  c.add({ id: 'avgpool', op: 'gap' });
  c.add({ id: 'fc', op: 'dense', units: o.classes ?? IMAGENET.classes });
  return c.spec(name, o);
}

/** ResNet-18: basic blocks [2, 2, 2, 2]. */
export const resnet18 = (o: ReferenceOptions = {}): ArchSpec => resnet('resnet18', 'basic', [2, 2, 2, 2], o);
/** ResNet-34: basic blocks [3, 4, 6, 3]. */
export const resnet34 = (o: ReferenceOptions = {}): ArchSpec => resnet('resnet34', 'basic', [3, 4, 6, 3], o);
/** ResNet-50: bottlenecks [3, 4, 6, 3], stride on the 3×3 convolution (torchvision). */
export const resnet50 = (o: ReferenceOptions = {}): ArchSpec => resnet('resnet50', 'bottleneck', [3, 4, 6, 3], o);
/** ResNet-101: bottlenecks [3, 4, 23, 3]. */
export const resnet101 = (o: ReferenceOptions = {}): ArchSpec => resnet('resnet101', 'bottleneck', [3, 4, 23, 3], o);

/**
 * SE-ResNet-50 (Hu et al. 2018): ResNet-50 with SE (reduction 16) on every bottleneck's branch, after
 * its last BN and before the addition; the stride on the first 1×1, as in the authors' models and the
 * paper's ResNet-50 (3.86 GFLOPs) it compares with.
 */
export const seResnet50 = (o: ReferenceOptions = {}): ArchSpec =>
  resnet('se_resnet50', 'bottleneck', [3, 4, 6, 3], o, { strideOn: '1x1', attention: 'se' });
/** CBAM-ResNet-50 (Woo et al. 2018): as SE-ResNet-50 with CBAM (reduction 16, 7×7 spatial conv) on the branch. */
export const cbamResnet50 = (o: ReferenceOptions = {}): ArchSpec =>
  resnet('cbam_resnet50', 'bottleneck', [3, 4, 6, 3], o, { strideOn: '1x1', attention: 'cbam' });
