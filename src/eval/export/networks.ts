// The networks and frozen graphs `nas export` writes its formats from, each made once, when a format
// first needs it: the BatchNorm-folded network (saved-model, tfjs-graph, tfjs-graph-uint8) and the
// network prepared as an int8 deployment prepares it (BatchNorms folded, separable convolutions
// split: saved-model-dynamic, saved-model-int8), calibrated on training images for the full-integer
// form (docs/inference.md, "Quantization"), and the same full-integer graph with TensorFlow's integer
// kernels where they exist (saved-model-int8-kernels, on the same calibration).
import type { ResolvedArch } from '../../space/resolve.js';
import { compileFrozen, freezeNetwork, type FrozenNetwork } from '../compile/frozen.js';
import { withIntegerKernels } from '../compile/integer-kernels.js';
import type { Sym } from '../compile/graph.js';
import { foldBatchNorm, type WeightArray } from '../fold.js';
import {
  calibrateNetwork,
  integerKernelPlan,
  networkConstants,
  prepareForQuantization,
  quantizedKernels,
  type NetworkCalibration,
  type NetworkConstants,
  type PreparedNetwork,
} from '../quantize/index.js';
import { quantizationFile, type QuantizationFile } from './quantization-file.js';

/** A trained network: its architecture (resolved for the model's input and classes) and its weights. */
export type Network = { readonly arch: ResolvedArch; readonly weights: ReadonlyMap<string, WeightArray> };

/** The full-integer network: its constants and activation ranges, its frozen graph and its calibration record. */
export type FullIntegerNetwork = {
  readonly constants: NetworkConstants;
  readonly frozen: FrozenNetwork;
  readonly quantization: QuantizationFile;
};

/** The full-integer network with integer kernels: its frozen graph, and how many of its convs run on them. */
export type IntegerKernelNetwork = {
  readonly frozen: FrozenNetwork;
  readonly quantization: QuantizationFile;
  readonly integerOps: number;
  readonly convs: number;
};

/** The trained network's forms for export, each computed once, when first asked for. */
export class ExportNetworks {
  private foldedNetwork?: Network;
  private frozenGraph?: FrozenNetwork;
  private preparedNetwork?: PreparedNetwork;
  private fullIntegerNetwork?: Promise<FullIntegerNetwork>;

  /** `calibration`: the sample of training images the full-integer form is calibrated on. */
  constructor(
    readonly layers: Network,
    private readonly calibration?: NetworkCalibration,
  ) {}

  folded(): Network {
    return (this.foldedNetwork ??= foldBatchNorm(this.layers.arch, this.layers.weights));
  }

  /** The float frozen graph of the folded network. */
  frozen(): FrozenNetwork {
    return (this.frozenGraph ??= compileFrozen(this.folded().arch, this.folded().weights));
  }

  /** Names of the float frozen graph's Const nodes holding the kernels the quantized forms quantize (conv, dwconv, sepconv, dense). */
  kernelConstants(): Set<string> {
    const frozen = this.frozen();
    return new Set(
      [...quantizedKernels(this.folded().arch).keys()].map((name) => (frozen.weights.get(name) as Sym).node.name),
    );
  }

  prepared(): PreparedNetwork {
    return (this.preparedNetwork ??= prepareForQuantization(this.layers.arch, this.layers.weights));
  }

  /** Dynamic range: int8 per-channel kernels, float activations. */
  dynamic(): FrozenNetwork {
    const net = this.prepared();
    return freezeNetwork(net.arch, networkConstants(net.arch, net.weights, 'dynamic'));
  }

  /** Full integer: int8 kernels, int32 biases, every activation through its calibrated fake quantization. */
  fullInteger(): Promise<FullIntegerNetwork> {
    return (this.fullIntegerNetwork ??= this.calibrated());
  }

  /** Full integer on TensorFlow's integer kernels where they exist (src/eval/compile/integer-kernels.ts), simulated elsewhere. */
  async integerKernels(): Promise<IntegerKernelNetwork> {
    const full = await this.fullInteger();
    const { candidates, convs } = integerKernelPlan(this.prepared().arch, full.constants.fakeQuant);
    const { frozen, layers } = withIntegerKernels(full.frozen, full.constants.weights, candidates);
    const quantization = quantizationFile(frozen, full.constants.fakeQuant, {
      observer: full.quantization.observer,
      images: full.quantization.calibrationImages,
    });
    return { frozen, quantization, integerOps: layers.length, convs };
  }

  private async calibrated(): Promise<FullIntegerNetwork> {
    const c = this.calibration;
    if (c === undefined) throw new Error('bug: the full-integer form needs calibration images');
    const net = this.prepared();
    const ranges = await calibrateNetwork(net, c);
    const constants = networkConstants(net.arch, net.weights, 'full-integer', ranges);
    const frozen = freezeNetwork(net.arch, constants);
    return {
      constants,
      frozen,
      quantization: quantizationFile(frozen, constants.fakeQuant, {
        observer: c.observer,
        images: c.images.indices.length,
      }),
    };
  }
}
