/**
 * Measures a post-training quantization of a trained network on a data set: test accuracy and loss,
 * parameter bytes, SavedModel bytes and latency at batch 1 of the float network (BN folded), its
 * dynamic-range form and its full-integer (simulated) form calibrated on training images.
 */
import type { Tensor4D } from '@tensorflow/tfjs-node';
import { Rng } from '../../core/rng.js';
import type { ResolvedArch } from '../../space/resolve.js';
import { CompiledModel } from '../compile/compiled-model.js';
import { compileInference, type InferenceGraph } from '../compile/quantized.js';
import { measureMedianMs, type TimingOptions } from '../latency.js';
import { BatchBuffer, type BatchTransform, type IndexedImages } from '../train/batches.js';
import { evaluateBatches } from '../train/evaluate.js';
import type { WeightArray } from '../weights.js';
import { activationPlan } from './activation-plan.js';
import { calibrate } from './calibrate.js';
import { networkConstants, parameterBytes, type NetworkConstants, type QuantizationMode } from './network.js';
import { createObserver, DEFAULT_OBSERVER, type ObserverKind, type Range } from './observers/index.js';
import { prepareForQuantization, type PreparedNetwork } from './prepare.js';

export type QuantizationData = {
  /** Calibration uses the first `calibrationImages` of these (pass training images, in a shuffled order). */
  readonly calibration: IndexedImages;
  readonly test: IndexedImages;
  /** Normalisation of every batch, as in evaluation. */
  readonly transform?: BatchTransform;
};

export type QuantizationOptions = {
  readonly observer?: ObserverKind;
  readonly calibrationImages?: number;
  /** Batch size of calibration and evaluation. */
  readonly batchSize?: number;
  /** Timing of `predict` at batch 1. */
  readonly latency?: TimingOptions;
};

export type FormFigures = {
  readonly accuracy: number;
  readonly loss: number;
  /** Median ms of one `predict` at batch 1. */
  readonly latencyMs: number;
  /** Parameters as a deployment stores them (network.ts parameterBytes). */
  readonly parameterBytes: number;
  /** Size of the compiled SavedModel (saved_model.pb). */
  readonly graphBytes: number;
};

export type QuantizationFigures = {
  readonly float: FormFigures;
  readonly dynamic: FormFigures;
  readonly fullInteger: FormFigures;
  readonly observer: ObserverKind;
  readonly foldedBatchNorms: number;
  /** Activations held in 8 bits with their own range (the input included). */
  readonly quantizedActivations: number;
  readonly ranges: ReadonlyMap<string, Range>;
};

export async function measureQuantization(
  arch: ResolvedArch,
  weights: ReadonlyMap<string, WeightArray>,
  data: QuantizationData,
  options: QuantizationOptions = {},
): Promise<QuantizationFigures> {
  const observer = options.observer ?? DEFAULT_OBSERVER;
  const batchSize = options.batchSize ?? 100;
  const net = prepareForQuantization(arch, weights);
  const points = activationPlan(net.arch).points;
  const sample = {
    set: data.calibration.set,
    indices: data.calibration.indices.subarray(0, options.calibrationImages ?? 1000),
  };
  const figuresOf = (model: CompiledModel, graph: InferenceGraph, constants: NetworkConstants): FormFigures => {
    const evaluation = evaluateBatches(
      data.test,
      { batchSize, ...(data.transform === undefined ? {} : { transform: data.transform }) },
      (b) => model.evaluate(b.x, b.labels),
    );
    const latencyMs = measureMedianMs((x) => model.predict(x), [1, ...net.arch.inputShape], options.latency);
    return {
      accuracy: evaluation.accuracy,
      loss: evaluation.loss,
      latencyMs,
      parameterBytes: parameterBytes(constants),
      graphBytes: graph.bytes.length,
    };
  };
  let ranges: ReadonlyMap<string, Range> = new Map();
  const float = await withForm(net, 'float', undefined, (model, graph, constants) => {
    ranges = calibrate(model, graph, points, imageBatches(sample, batchSize, data.transform), () =>
      createObserver(observer),
    );
    return figuresOf(model, graph, constants);
  });
  return {
    float,
    dynamic: await withForm(net, 'dynamic', undefined, figuresOf),
    fullInteger: await withForm(net, 'full-integer', ranges, figuresOf),
    observer,
    foldedBatchNorms: net.foldedBatchNorms,
    quantizedActivations: points.length,
    ranges,
  };
}

/** Compiles and loads one form of the network, runs `use` on it and disposes it. */
export async function withForm<T>(
  net: PreparedNetwork,
  mode: QuantizationMode,
  ranges: ReadonlyMap<string, Range> | undefined,
  use: (model: CompiledModel, graph: InferenceGraph, constants: NetworkConstants) => Promise<T> | T,
): Promise<T> {
  const constants = networkConstants(net.arch, net.weights, mode, ranges);
  const graph = compileInference(net.arch, constants.weights, constants.fakeQuant);
  const model = await CompiledModel.load(graph);
  try {
    return await use(model, graph, constants);
  } finally {
    model.dispose();
  }
}

/** The images of `part` in batches, transformed; each batch is disposed when the next is asked for. */
export function* imageBatches(part: IndexedImages, batchSize: number, transform?: BatchTransform): Generator<Tensor4D> {
  const buffer = new BatchBuffer(part.set.shape, batchSize);
  const rng = new Rng('calibrate');
  for (let start = 0; start < part.indices.length; start += batchSize) {
    const batch = buffer.next(part.set, part.indices, start, transform, rng);
    try {
      yield batch.x;
    } finally {
      batch.x.dispose();
      batch.labels.dispose();
    }
  }
}
