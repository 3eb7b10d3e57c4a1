import type { ArchNode, Shape } from '../../../src/core/arch.js';
import type { ImageSet, ImageShape } from '../../../src/core/data.js';
import { Rng } from '../../../src/core/rng.js';
import { assertArch, type ResolvedArch } from '../../../src/space/index.js';
import type { IndexedImages } from '../../../src/eval/train/index.js';

/**
 * A learnable synthetic set: image i of class k is noise plus a class pattern (channel k mod C lit in
 * a band of rows), so a small CNN separates the classes in a few epochs.
 */
export function patternSet(count: number, shape: ImageShape, classes: number, seed: string | number): ImageSet {
  const rng = new Rng(seed);
  const [h, w, c] = shape;
  const size = h * w * c;
  const images = new Float32Array(count * size);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = rng.int(classes);
    labels[i] = label;
    for (let p = 0; p < size; p++) images[i * size + p] = 0.3 * rng.next();
    const band = Math.floor((label * h) / classes);
    for (let x = 0; x < w; x++) images[i * size + (band * w + x) * c + (label % c)] = 1;
  }
  return { images, labels, count, shape };
}

/** All images of a set, or those in [from, to). */
export function part(set: ImageSet, from = 0, to = set.count): IndexedImages {
  return { set, indices: Uint32Array.from({ length: to - from }, (_, i) => from + i) };
}

/** conv(filters)-BN-ReLU, then global average pooling and dense logits; `extra` nodes go before the head. */
export function smallCnn(
  inputShape: Shape,
  classes: number,
  o: { filters?: number; dropout?: number } = {},
): ResolvedArch {
  const filters = o.filters ?? 8;
  const nodes: ArchNode[] = [
    { id: 'conv1', op: 'conv', inputs: ['input'], filters, kernel: 3, padding: 'same', bias: false },
    { id: 'bn1', op: 'bn', inputs: ['conv1'] },
    { id: 'relu1', op: 'act', fn: 'relu', inputs: ['bn1'] },
    { id: 'gap', op: 'gap', inputs: ['relu1'] },
    ...(o.dropout === undefined ? [] : [{ id: 'drop', op: 'dropout', rate: o.dropout, inputs: ['gap'] } as ArchNode]),
    { id: 'logits', op: 'dense', units: 'classes', inputs: [o.dropout === undefined ? 'gap' : 'drop'] },
  ];
  return assertArch({ version: 1, nodes, output: 'logits' }, { inputShape, classes });
}
