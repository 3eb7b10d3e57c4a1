/**
 * Trains a built model on the engine its config asks for: the compiled graph (src/eval/compile) by
 * default, or eager tfjs. A network the compiler cannot take, or a run with diagnostics (measured on
 * the eager engine), trains eagerly and says why; either way the trained weights end in `model`.
 */
import type { LayersModel } from '@tensorflow/tfjs-node';
import type { TrialEngine } from '../core/trial.js';
import type { ResolvedArch } from '../space/resolve.js';
import { compileFromModel, copyWeightsInto, type CompiledModel } from './compile/index.js';
import { measureMedianMs, type TimingOptions } from './latency.js';
import { buildModel } from './build/build-model.js';
import { resolveTrainConfig, train, type ResolvedTrainConfig, type TrainConfig, type TrainData, type TrainHooks, type TrainResult } from './train/index.js';

export type ModelTraining = TrainResult & {
  readonly engine: TrialEngine;
  /** Inference latency of the compiled `predict` at `latencyBatch`, when asked and compiled. */
  readonly compiledLatencyMs?: number;
};

export type TrainModelOptions = { readonly hooks?: TrainHooks; readonly latency?: { readonly batch: number } & TimingOptions };

export async function trainModel(arch: ResolvedArch, model: LayersModel, data: TrainData, cfg: ResolvedTrainConfig, options: TrainModelOptions = {}): Promise<ModelTraining> {
  const hooks = options.hooks ?? {};
  const { compiled, fallback } = await compiledOrWhyNot(arch, model, cfg);
  if (compiled === undefined) {
    const result = await train(model, data, cfg, hooks);
    return { ...result, engine: { name: 'eager', ...(fallback === undefined ? {} : { fallback }) } };
  }
  try {
    const result = await train(model, data, cfg, hooks, compiled);
    copyWeightsInto(compiled, model);
    const latency = options.latency;
    const compiledLatencyMs = latency === undefined ? undefined : compiledLatency(compiled, arch, latency);
    return { ...result, engine: { name: 'compiled' }, ...(compiledLatencyMs === undefined ? {} : { compiledLatencyMs }) };
  } finally {
    compiled.dispose();
  }
}

async function compiledOrWhyNot(arch: ResolvedArch, model: LayersModel, cfg: ResolvedTrainConfig): Promise<{ compiled?: CompiledModel; fallback?: string }> {
  if (cfg.engine === 'eager') return {};
  const withoutCheckpointing = cfg.checkpointing === undefined ? '' : ' (without gradient checkpointing)';
  if (cfg.diagnostics.gradients || cfg.diagnostics.activations) return { fallback: `diagnostics are measured on the eager engine${withoutCheckpointing}` };
  try {
    return { compiled: await compileFromModel(arch, model, cfg) };
  } catch (error) {
    return { fallback: `${(error as Error).message}${withoutCheckpointing}` };
  }
}

/** Median ms of the compiled `predict` on zeros at a batch size (src/eval/latency.ts's measurement). */
export function compiledLatency(compiled: CompiledModel, arch: ResolvedArch, options: { readonly batch: number } & TimingOptions): number {
  return measureMedianMs((x) => compiled.predict(x), [options.batch, ...arch.inputShape], options);
}

/**
 * Builds an architecture (weights initialised by `config.init`, seeded by `config.seed`), trains it
 * on the config's engine and disposes it: the tensor count is back to where it was, also on a throw.
 */
export async function trainArch(arch: ResolvedArch, data: TrainData, config: TrainConfig, hooks: TrainHooks = {}): Promise<ModelTraining & { readonly params: number }> {
  const cfg = resolveTrainConfig(config);
  const model = buildModel(arch, { seed: cfg.seed, init: cfg.init });
  try {
    const result = await trainModel(arch, model, data, cfg, { hooks });
    return { ...result, params: model.countParams() };
  } finally {
    model.dispose();
  }
}
