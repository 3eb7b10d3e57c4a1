import type { LayersModel, Variable } from '@tensorflow/tfjs-node';
import type { Shape } from '../../core/arch.js';
import type { Relaxation, SearchSpace, SupernetOptions } from '../../space/search-space.js';
import { assertArch } from '../../space/validate.js';
import type { ResolvedArch } from '../../space/resolve.js';
import { loadTf } from '../../backend/tf.js';
import { buildModel } from '../../eval/build/build-model.js';
import { Rng } from '../../core/rng.js';

/** A built supernet: the network (its trainable weights are w) and α, one [edges, ops] variable per cell. */
export interface Supernet {
  readonly model: LayersModel;
  readonly alphas: Readonly<Record<string, Variable>>;
  readonly relaxation: Relaxation;
  dispose(): void;
}

/** The space's supernet as a resolved architecture (for the cost model and the builder). */
export function supernetArch(
  space: SearchSpace,
  size: SupernetOptions,
  data: { readonly inputShape: Shape; readonly classes: number },
): ResolvedArch {
  if (space.supernet === undefined || space.relaxation === undefined) {
    throw new Error(`space "${space.id}" has no one-shot relaxation`);
  }
  return assertArch(space.supernet(size), { inputShape: data.inputShape, classes: data.classes });
}

/** Builds the supernet of `relaxation` with α drawn as in the paper (1e-3 · N(0, 1)), everything from `seed`. */
export function createSupernet(relaxation: Relaxation, arch: ResolvedArch, seed: number): Supernet {
  const tf = loadTf();
  const rng = new Rng(seed).derive('alpha');
  const alphas: Record<string, Variable> = {};
  for (const cell of relaxation.cells) {
    const ops = cell.edges[0]?.ops.length ?? 0;
    alphas[cell.name] = tf.tidy(() =>
      tf.variable(tf.mul(tf.randomNormal([cell.edges.length, ops], 0, 1, 'float32', rng.int32()), 1e-3)),
    );
  }
  const model = buildModel(arch, { seed, alphas });
  return {
    model,
    alphas,
    relaxation,
    dispose() {
      model.dispose();
      for (const a of Object.values(alphas)) a.dispose();
    },
  };
}

/** softmax(α) of every cell, rows per edge: what a derivation and the events read. */
export function alphaWeights(net: Supernet): Record<string, number[][]> {
  const tf = loadTf();
  return Object.fromEntries(
    Object.entries(net.alphas).map(([cell, a]) => {
      const weights = tf.softmax(a);
      const rows = weights.arraySync() as number[][];
      weights.dispose();
      return [cell, rows];
    }),
  );
}
