import type { Emit } from '../emit.js';
import type { Sym } from '../graph.js';

/** A weight of a compiled network: its tfjs name (`<layer>/<weight>`, as the eager builder names it) and shape. */
export type WeightKind = 'kernel' | 'bias' | 'gamma' | 'beta' | 'moving' | 'alpha';

/** What lowering one node needs from the compiler: the emitter, the mode, its weights, and the step's randomness. */
export interface LowerContext {
  readonly e: Emit;
  /** Training mode: BatchNorm on batch statistics (recorded for the moving averages), dropout on. */
  readonly training: boolean;
  /** The value of a weight of the node's layer in this pass (one read per pass). */
  weight(layer: string, name: string, shape: readonly number[], kind: WeightKind): Sym;
  /** Records a BatchNorm's batch mean and (biased) variance for the moving-average update. */
  batchStatistics(layer: string, mean: Sym, variance: Sym): void;
  /** A fresh seed pair for one stateless random op of this step. */
  randomSeed(): Sym;
  /** The [edges, ops] shape of a supernet cell's architecture parameters α. */
  alphaShape(name: string): readonly [number, number];
  /**
   * Replaces a separable convolution's depthwise output before its pointwise conv (quantization-aware
   * training fake-quantizes it: an int8 runtime runs the two as separate layers).
   */
  separableMiddle?(value: Sym): Sym;
}
