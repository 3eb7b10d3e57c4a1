import type { ArchSpec } from '../../core/arch.js';
import { Chain, IMAGENET, type ReferenceOptions } from './common.js';

/** Rounds channels to a multiple of 8, never more than 10% down (torchvision `_make_divisible`). */
export function makeDivisible(v: number, divisor = 8): number {
  const rounded = Math.max(divisor, Math.floor((v + divisor / 2) / divisor) * divisor);
  return rounded < 0.9 * v ? rounded + divisor : rounded;
}

/** [expansion t, channels c, repeats n, first stride s] of Sandler et al. 2018, Table 2. */
const SETTINGS: readonly (readonly [number, number, number, number])[] = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

/** MobileNetV2 in torchvision's layout (width multiplier `width`, default 1). */
export function mobilenetv2(o: ReferenceOptions & { readonly width?: number } = {}): ArchSpec {
  const width = o.width ?? 1;
  const c = new Chain();
  c.add({ id: 'stem', op: 'conv', filters: makeDivisible(32 * width), kernel: 3, stride: 2, padding: 1, bias: false });
  c.add({ id: 'stem_bn', op: 'bn' });
  c.add({ id: 'stem_act', op: 'act', fn: 'relu6' });
  let block = 1;
  for (const [t, channels, n, s] of SETTINGS) {
    for (let i = 0; i < n; i++) {
      const filters = makeDivisible(channels * width);
      c.add({ id: `features.${block++}`, op: 'inverted_residual', filters, expansion: t, stride: i === 0 ? s : 1 });
    }
  }
  c.add({ id: 'head', op: 'conv', filters: makeDivisible(1280 * Math.max(1, width)), kernel: 1, bias: false });
  c.add({ id: 'head_bn', op: 'bn' });
  c.add({ id: 'head_act', op: 'act', fn: 'relu6' });
  c.add({ id: 'avgpool', op: 'gap' });
  c.add({ id: 'dropout', op: 'dropout', rate: 0.2 });
  c.add({ id: 'classifier', op: 'dense', units: o.classes ?? IMAGENET.classes });
  return c.spec(width === 1 ? 'mobilenetv2' : `mobilenetv2_${width}`, o);
}
