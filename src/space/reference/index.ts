import type { ArchSpec } from '../../core/arch.js';
import type { ReferenceOptions } from './common.js';
import { mobilenetv2 } from './mobilenetv2.js';
import { cbamResnet50, resnet101, resnet18, resnet34, resnet50, seResnet50 } from './resnet.js';
import { vgg11 } from './vgg.js';

/** A named reference network: a one-line summary and a factory for a given input shape and class count. */
export interface Reference {
  readonly name: string;
  readonly summary: string;
  build(options?: ReferenceOptions): ArchSpec;
}

const entry = (name: string, summary: string, build: (o?: ReferenceOptions) => ArchSpec): Reference => ({
  name,
  summary,
  build,
});

/** The registry of reference networks (`nas estimate <name>`), torchvision layouts. */
export const references: Readonly<Record<string, Reference>> = Object.fromEntries(
  [
    entry('resnet18', 'ResNet-18, basic blocks [2,2,2,2] (11.7M params, 1.81 GMACs at 224)', resnet18),
    entry('resnet34', 'ResNet-34, basic blocks [3,4,6,3] (21.8M params)', resnet34),
    entry('resnet50', 'ResNet-50, bottlenecks [3,4,6,3], stride on the 3×3 (25.6M params, 4.09 GMACs)', resnet50),
    entry('resnet101', 'ResNet-101, bottlenecks [3,4,23,3] (44.5M params)', resnet101),
    entry(
      'se_resnet50',
      'SE-ResNet-50, SE (r 16) on every bottleneck branch, stride on the 1×1 (28.1M params, 3.86 GMACs)',
      seResnet50,
    ),
    entry(
      'cbam_resnet50',
      'CBAM-ResNet-50, CBAM (r 16, 7×7) on every bottleneck branch, stride on the 1×1 (28.1M params, 3.86 GMACs)',
      cbamResnet50,
    ),
    entry('mobilenetv2', 'MobileNetV2, width 1.0 (3.5M params, 0.30 GMACs)', (o) => mobilenetv2(o)),
    entry('vgg11', 'VGG-11, configuration A (132.9M params)', vgg11),
  ].map((r) => [r.name, r]),
);

/** The reference network `name`, or undefined. */
export function reference(name: string): Reference | undefined {
  return Object.hasOwn(references, name) ? references[name] : undefined;
}

export type { ReferenceOptions } from './common.js';
export { makeDivisible, mobilenetv2 } from './mobilenetv2.js';
export { cbamResnet50, resnet101, resnet18, resnet34, resnet50, seResnet50 } from './resnet.js';
export { vgg11 } from './vgg.js';
