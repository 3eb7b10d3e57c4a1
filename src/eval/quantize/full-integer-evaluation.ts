/**
 * The full-integer network of trained weights with given activation ranges (quantization-aware
 * training's, qat-ranges.ts), measured by one evaluation pass of its inference graph over each part:
 * what the network loses in 8 bits, without a calibration pass.
 */
import type { ResolvedArch } from '../../space/resolve.js';
import type { IndexedImages } from '../train/batches.js';
import { evaluateBatches, type EvaluateOptions, type Evaluation } from '../train/evaluate.js';
import type { WeightArray } from '../weights.js';
import { withForm } from './measure.js';
import type { Range } from './observers/observer.js';
import { prepareForQuantization } from './prepare.js';

export type FullIntegerEvaluation = { readonly validation?: Evaluation; readonly test?: Evaluation };

/** `weights` are the trained model's (modelWeights); the parts given are evaluated, each once. */
export async function evaluateFullInteger(
  arch: ResolvedArch,
  weights: ReadonlyMap<string, WeightArray>,
  ranges: ReadonlyMap<string, Range>,
  parts: { readonly validation?: IndexedImages; readonly test?: IndexedImages },
  options: EvaluateOptions,
): Promise<FullIntegerEvaluation> {
  const net = prepareForQuantization(arch, weights);
  return withForm(net, 'full-integer', ranges, (model) => {
    const evaluate = (part: IndexedImages) => evaluateBatches(part, options, (b) => model.evaluate(b.x, b.labels));
    return {
      ...(parts.validation === undefined ? {} : { validation: evaluate(parts.validation) }),
      ...(parts.test === undefined ? {} : { test: evaluate(parts.test) }),
    };
  });
}
