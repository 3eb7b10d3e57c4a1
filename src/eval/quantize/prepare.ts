/**
 * A trained network made ready for quantization as an int8 deployment makes it: BatchNorms folded
 * into the layer before them (src/eval/fold.ts), then separable convolutions split in two
 * (split-separable.ts). The float network computes the same function, within float rounding.
 */
import type { ResolvedArch } from '../../space/resolve.js';
import { foldBatchNorm } from '../fold.js';
import type { WeightArray } from '../weights.js';
import { splitSeparable } from './split-separable.js';

export type PreparedNetwork = {
  readonly arch: ResolvedArch;
  readonly weights: ReadonlyMap<string, WeightArray>;
  /** How many BatchNorms folded. */
  readonly foldedBatchNorms: number;
};

/** `weights` are the trained model's by `<layer>/<weight>` (modelWeights). */
export function prepareForQuantization(arch: ResolvedArch, weights: ReadonlyMap<string, WeightArray>): PreparedNetwork {
  const folded = foldBatchNorm(arch, weights);
  const split = splitSeparable(folded.arch, folded.weights);
  return { ...split, foldedBatchNorms: folded.folded.length };
}
