import type { LayersModel, Tensor } from '@tensorflow/tfjs-node';
import type { ArchNode, ArchSpec, Shape } from '../../../src/core/arch.js';
import { Rng } from '../../../src/core/rng.js';
import { loadTf } from '../../../src/backend/tf.js';
import { assertArch, type ResolvedArch } from '../../../src/space/index.js';
import type { Nd } from './reference-conv.js';

/** A spec of nodes ending at `output` (the last node by default). */
export function spec(
  nodes: readonly ArchNode[],
  output: string | readonly string[] = nodes.at(-1)?.id ?? '',
): ArchSpec {
  return { version: 1, nodes, output };
}

export function resolve(
  nodes: readonly ArchNode[],
  inputShape: Shape,
  o: { classes?: number; output?: string | readonly string[] } = {},
): ResolvedArch {
  return assertArch(
    spec(nodes, o.output),
    o.classes === undefined ? { inputShape } : { inputShape, classes: o.classes },
  );
}

/** The cost model's parameter total (trainable + non-trainable), what tfjs countParams() must report. */
export function costTotal(arch: ResolvedArch): number {
  return arch.nodes.reduce((s, n) => s + n.params.trainable + n.params.nonTrainable, 0);
}

export function costTrainable(arch: ResolvedArch): number {
  return arch.nodes.reduce((s, n) => s + n.params.trainable, 0);
}

/** Number of trainable scalars of a built model. */
export function modelTrainable(model: LayersModel): number {
  return model.trainableWeights.reduce((s, w) => s + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
}

/** Standard normal values from a seeded generator, shifted by `offset`. */
export function randomNd(rng: Rng, shape: readonly number[], offset = 0): Nd {
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = rng.normal() + offset;
  return { shape, data };
}

export function toTensor(a: Nd): Tensor {
  return loadTf().tensor(a.data, [...a.shape], 'float32');
}

/** Largest absolute difference of two arrays of equal length (Infinity if the lengths differ or a NaN shows up). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] ?? Number.NaN) - (b[i] ?? Number.NaN));
    m = Number.isNaN(d) ? Number.POSITIVE_INFINITY : Math.max(m, d);
  }
  return m;
}

export { Rng };
