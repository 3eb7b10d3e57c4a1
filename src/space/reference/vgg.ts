import type { ArchSpec } from '../../core/arch.js';
import { Chain, IMAGENET, type ReferenceOptions } from './common.js';

const VGG11: readonly (number | 'M')[] = [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'];

/**
 * VGG-11 (Simonyan & Zisserman 2015, configuration A) in torchvision's layout. torchvision's adaptive
 * 7×7 average pool is the identity at 224×224 and is left out; at other sizes the classifier takes
 * the flattened feature map as it is.
 */
export function vgg11(o: ReferenceOptions = {}): ArchSpec {
  const c = new Chain();
  let conv = 0;
  let pool = 0;
  for (const v of VGG11) {
    if (v === 'M') {
      c.add({ id: `pool${++pool}`, op: 'maxpool', kernel: 2, stride: 2 });
    } else {
      c.add({ id: `conv${++conv}`, op: 'conv', filters: v, kernel: 3, padding: 1 });
      c.add({ id: `relu${conv}`, op: 'act', fn: 'relu' });
    }
  }
  c.add({ id: 'flatten', op: 'flatten' });
  for (const i of [1, 2]) {
    c.add({ id: `fc${i}`, op: 'dense', units: 4096 });
    c.add({ id: `fc${i}_relu`, op: 'act', fn: 'relu' });
    c.add({ id: `fc${i}_drop`, op: 'dropout', rate: 0.5 });
  }
  c.add({ id: 'fc3', op: 'dense', units: o.classes ?? IMAGENET.classes });
  return c.spec('vgg11', o);
}
