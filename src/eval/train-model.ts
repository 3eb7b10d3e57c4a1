/**
 * Trains a built model on the engine its config asks for: the compiled graph (src/eval/compile) by
 * default, or eager tfjs. A network the compiler cannot take trains eagerly and says why (and what it
 * did without: gradient checkpointing, quantization-aware training); either way the trained weights
 * end in `model`. Both engines measure the diagnostics on the same probes (src/eval/train/probes.ts). After
 * quantization-aware training, the full-integer network with the learned ranges is evaluated once.
 */
import type { LayersModel } from '@tensorflow/tfjs-node';
import { bf16Unsupported } from '../backend/tf.js';
import type { TrialEngine } from '../core/trial.js';
import type { ResolvedArch } from '../space/resolve.js';
import { buildModel, layerNames } from './build/build-model.js';
import { compileFromModel, copyWeightsInto, type CompiledModel } from './compile/index.js';
import { measureMedianMs, type TimingOptions } from './latency.js';
import { evaluateFullInteger, type FullIntegerEvaluation } from './quantize/full-integer-evaluation.js';
import type { Range } from './quantize/observers/observer.js';
import { qatRanges } from './quantize/qat-ranges.js';
import {
  probePoints,
  resolveTrainConfig,
  train,
  type ResolvedTrainConfig,
  type TrainConfig,
  type TrainData,
  type TrainHooks,
  type TrainResult,
  type TrainSpan,
} from './train/index.js';
import { modelWeights } from './weights.js';

export type ModelTraining = TrainResult & {
  readonly engine: TrialEngine;
  /** Inference latency of the compiled `predict` at `latencyBatch`, when asked and compiled. */
  readonly compiledLatencyMs?: number;
  /** After quantization-aware training (at least one QAT step, not stopped): its ranges and the full-integer network's accuracy. */
  readonly quantizationAware?: QuantizationAwareResult;
};

/** The learned ranges (by prepared-network activation, as calibrate() keys them) and one evaluation of the full-integer network with them. */
export type QuantizationAwareResult = FullIntegerEvaluation & { readonly ranges: ReadonlyMap<string, Range> };

export type TrainModelOptions = {
  readonly hooks?: TrainHooks;
  /** A part of the run: continue from a state, stop after an epoch, keep the state (loop.ts). */
  readonly span?: TrainSpan;
  readonly latency?: { readonly batch: number } & TimingOptions;
};

export async function trainModel(
  arch: ResolvedArch,
  model: LayersModel,
  data: TrainData,
  cfg: ResolvedTrainConfig,
  options: TrainModelOptions = {},
): Promise<ModelTraining> {
  const hooks = options.hooks ?? {};
  const probes = probePoints(arch, layerNames(arch).byNode);
  const precisionUnsupported = cfg.precision === 'bf16' ? bf16Unsupported() : undefined;
  const { compiled, fallback } = await compiledOrWhyNot(
    arch,
    model,
    precisionUnsupported === undefined ? cfg : { ...cfg, precision: 'fp32' },
  );
  if (compiled === undefined) {
    const result = await train(model, data, eagerConfig(cfg), hooks, { probes, ...options.span });
    const precision =
      cfg.precision === 'bf16'
        ? { precision: { used: 'fp32', reason: precisionUnsupported ?? 'trained on the eager engine' } as const }
        : {};
    return { ...result, engine: { name: 'eager', ...(fallback === undefined ? {} : { fallback }), ...precision } };
  }
  let ranges: Map<string, Range> | undefined;
  let result: TrainResult;
  let compiledLatencyMs: number | undefined;
  try {
    result = await train(model, data, cfg, hooks, { compiled, probes, ...options.span });
    copyWeightsInto(compiled, model);
    if ((result.qatSteps ?? 0) > 0 && !result.stopped) ranges = qatRanges(compiled);
    const latency = options.latency;
    compiledLatencyMs = latency === undefined ? undefined : compiledLatency(compiled, arch, latency);
  } finally {
    compiled.dispose();
  }
  const quantizationAware =
    ranges === undefined ? undefined : { ranges, ...(await fullIntegerAfterTraining(arch, model, data, cfg, ranges)) };
  return {
    ...result,
    engine: {
      name: 'compiled',
      ...(cfg.precision === 'bf16'
        ? {
            precision:
              precisionUnsupported === undefined ? { used: 'bf16' } : { used: 'fp32', reason: precisionUnsupported },
          }
        : {}),
    },
    ...(compiledLatencyMs === undefined ? {} : { compiledLatencyMs }),
    ...(quantizationAware === undefined ? {} : { quantizationAware }),
  };
}

/** The validation part (and the test part, when the config asks for it) through the full-integer network. */
function fullIntegerAfterTraining(
  arch: ResolvedArch,
  model: LayersModel,
  data: TrainData,
  cfg: ResolvedTrainConfig,
  ranges: ReadonlyMap<string, Range>,
): Promise<FullIntegerEvaluation> {
  const transform = data.transform?.eval;
  const parts = {
    ...(data.validation === undefined ? {} : { validation: data.validation }),
    ...(cfg.test && data.test !== undefined ? { test: data.test } : {}),
  };
  return evaluateFullInteger(arch, modelWeights(model), ranges, parts, {
    batchSize: cfg.evalBatchSize,
    ...(transform === undefined ? {} : { transform }),
  });
}

async function compiledOrWhyNot(
  arch: ResolvedArch,
  model: LayersModel,
  cfg: ResolvedTrainConfig,
): Promise<{ compiled?: CompiledModel; fallback?: string }> {
  if (cfg.engine === 'eager') return {};
  const without = compiledOnly(cfg);
  try {
    return { compiled: await compileFromModel(arch, model, cfg) };
  } catch (error) {
    return { fallback: `${(error as Error).message}${without}` };
  }
}

/** What a fallback to eager goes without, as its reason's suffix: " (without gradient checkpointing)", …. */
function compiledOnly(cfg: ResolvedTrainConfig): string {
  const parts = [
    ...(cfg.checkpointing === undefined ? [] : ['gradient checkpointing']),
    ...(cfg.qat === undefined ? [] : ['quantization-aware training']),
  ];
  return parts.length === 0 ? '' : ` (without ${parts.join(' and without ')})`;
}

/** The config an eager run trains with: no quantization-aware training (the eager engine has no fake-quantized step). */
function eagerConfig(cfg: ResolvedTrainConfig): ResolvedTrainConfig {
  if (cfg.qat === undefined) return cfg;
  const { qat: _qat, ...rest } = cfg;
  return Object.freeze(rest);
}

/** Median ms of the compiled `predict` on zeros at a batch size (src/eval/latency.ts's measurement). */
export function compiledLatency(
  compiled: CompiledModel,
  arch: ResolvedArch,
  options: { readonly batch: number } & TimingOptions,
): number {
  return measureMedianMs((x) => compiled.predict(x), [options.batch, ...arch.inputShape], options);
}

/**
 * Builds an architecture (weights initialised by `config.init`, seeded by `config.seed`), trains it
 * on the config's engine and disposes it: the tensor count is back to where it was, also on a throw.
 */
export async function trainArch(
  arch: ResolvedArch,
  data: TrainData,
  config: TrainConfig,
  hooks: TrainHooks = {},
): Promise<ModelTraining & { readonly params: number }> {
  const cfg = resolveTrainConfig(config);
  const model = buildModel(arch, { seed: cfg.seed, init: cfg.init });
  try {
    const result = await trainModel(arch, model, data, cfg, { hooks });
    return { ...result, params: model.countParams() };
  } finally {
    model.dispose();
  }
}
