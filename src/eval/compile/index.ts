/**
 * The compiled training path: an architecture becomes one TensorFlow graph per trial (compile.ts),
 * loaded into one native session (compiled-model.ts). The eager tfjs model of the same architecture
 * stays the source of the initial weights (the builder's seeded initialisers) and the holder of the
 * trained ones (export, latency), so both paths start from, and end in, the same model.
 */
import type { LayersModel, Tensor } from '@tensorflow/tfjs-node';
import { loadTf } from '../../backend/tf.js';
import type { ResolvedArch } from '../../space/resolve.js';
import { compileArch, type CompiledGraph, type CompileTrainConfig } from './compile.js';
import { CompiledModel } from './compiled-model.js';
import { lowerPrecision, trainActivationOp } from './precision.js';
import type { TrainPrecision } from '../train/config.js';

export { compileArch, type CompiledGraph, type CompileTrainConfig } from './compile.js';
export { CompiledModel } from './compiled-model.js';
export { compileSupernet, type SupernetTraining } from './supernet.js';
export type { VariableSpec } from './variables.js';
export { NoGradientError } from './gradients/index.js';

/**
 * Compiles `arch`, loads it and sets its weights to the model's (optimizer slots and QAT ranges to
 * zero). Without `train` it compiles for inference only (`predict`, `evaluate`).
 */
export async function compileFromModel(
  arch: ResolvedArch,
  model: LayersModel,
  train?: CompileTrainConfig & { readonly precision?: TrainPrecision },
): Promise<CompiledModel> {
  const graph = compileArch(arch, train);
  return loadFromModel(
    train?.precision === 'bf16'
      ? { ...graph, bytes: lowerPrecision(graph.bytes, graph, trainActivationOp, 'bfloat16').bytes }
      : graph,
    model,
  );
}

/** Loads a compiled graph and sets its weights to the model's (optimizer slots and QAT ranges to zero). */
export async function loadFromModel(graph: CompiledGraph, model: LayersModel): Promise<CompiledModel> {
  const compiled = await CompiledModel.load(graph);
  try {
    const tf = loadTf();
    const weights = variablesByName(model);
    const zeros: Tensor[] = [];
    const values = compiled.variables.map((v) => {
      const w = weights.get(v.name);
      if (w !== undefined) return w.read();
      if (v.kind !== 'slot' && v.kind !== 'range')
        throw new Error(`compiled weight ${v.name} has no counterpart in the model`);
      const zero = tf.zeros([...v.shape]);
      zeros.push(zero);
      return zero;
    });
    compiled.assignAll(values);
    tf.dispose(zeros);
    return compiled;
  } catch (error) {
    compiled.dispose();
    throw error;
  }
}

/** Copies the compiled graph's weights (not the optimizer's slots, not QAT ranges) into the model. */
export function copyWeightsInto(compiled: CompiledModel, model: LayersModel): void {
  const tf = loadTf();
  const weights = variablesByName(model);
  const values = compiled.readAll();
  try {
    compiled.variables.forEach((v, i) => weights.get(v.name)?.write(values[i] as Tensor));
  } finally {
    tf.dispose(values);
  }
}

/** The model's weight variables by `originalName` (the compiled variables' names). */
function variablesByName(model: LayersModel) {
  return new Map(model.weights.map((w) => [w.originalName, w]));
}
