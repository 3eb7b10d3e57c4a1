// How a run's steps and evaluation batches are computed: the eager model with our optimizer
// (tfjs ops one by one), or a compiled graph (src/eval/compile, one native call per step).
import type { LayersModel, Tensor1D, Tensor4D, Variable } from '@tensorflow/tfjs-node';
import { loadTf } from '../../backend/tf.js';
import type { NamedArray } from '../checkpoint-file.js';
import { arrayNamed } from './train-state.js';
import type { Rng } from '../../core/rng.js';
import type { BatchTensors } from './batches.js';
import type { ResolvedTrainConfig } from './config.js';
import { activationFigures, type CheckFigures, type CheckRequest } from './diagnostics.js';
import { inferenceStats } from './evaluate.js';
import { createOptimizer, decays, type Optimizer, type Param } from './optimizers.js';
import { MASK_LAYERS, seedDropout } from './plan.js';
import type { ProbePoint } from './probes.js';
import { trainStep, type StepContext } from './step.js';

/**
 * Another engine for the steps and evaluation batches of a run: the compiled graph
 * (src/eval/compile), one native call per step. `train` returns [mean loss, correct count]; with
 * `quantizationAware` it runs the fake-quantized step (`train_qat`). A graph compiled with diagnostics
 * has `diagnose` (the figures of a check, src/eval/compile/diagnose.ts) for the weights `diagnosedParams`.
 */
export interface CompiledSteps {
  train(
    x: Tensor4D,
    labels: Tensor1D,
    lr: number,
    seed: readonly [number, number],
    quantizationAware?: boolean,
  ): ArrayLike<number>;
  evaluate(x: Tensor4D, labels: Tensor1D): ArrayLike<number>;
  diagnose?(
    x: Tensor4D,
    labels: Tensor1D,
    seed: readonly [number, number],
    probe: Tensor4D | undefined,
    values: HistogramValues,
  ): CheckFigures;
  readonly diagnosedParams?: readonly string[] | undefined;
  /** The values of `diagnosedParams`, in order. */
  diagnosedValues?(): Float32Array[];
  /** Every variable (weights, BatchNorm statistics, optimizer slots, QAT ranges), by name. */
  readArrays(): NamedArray[];
  /** Sets every variable from `arrays` by name (a missing one, or another shape, is an error). */
  writeArrays(arrays: ReadonlyMap<string, NamedArray>): void;
}

/** Which values a check reads out for the epoch's histograms: the gradients', the probed activations'. */
export type HistogramValues = { readonly gradients: boolean; readonly activations: boolean };

/** Loss and correct count of a step's batch, and the figures of a check when one was asked. */
export type EngineStep = { readonly loss: number; readonly correct: number; readonly check?: CheckFigures };

/** How a run steps and evaluates: the eager model with our optimizer, or a compiled graph. */
export type Engine = {
  /**
   * One step; `quantizationAware` only on an engine that has a fake-quantized step (the compiled one).
   * With `check`, the diagnostics' figures of this step: its gradient at the weights it updates, and
   * the probes through those weights.
   */
  step(batch: BatchTensors, lr: number, dropout: Rng, quantizationAware: boolean, check?: CheckRequest): EngineStep;
  evaluateBatch(batch: BatchTensors): ArrayLike<number>;
  /** The trainable weights the checks measure, in the order of their figures. */
  readonly params: readonly string[];
  /** Their current values (the epochs' weight histograms). */
  paramValues(): Float32Array[];
  /** The state a continuation needs (train-state.ts): every variable the steps read and write, by name. */
  readState(): NamedArray[];
  /** Sets that state back; every variable must be in `arrays`, with its shape. */
  writeState(arrays: ReadonlyMap<string, NamedArray>): void;
  dispose(): void;
};

export function eagerEngine(model: LayersModel, cfg: ResolvedTrainConfig, probes: readonly ProbePoint[]): Engine {
  const params: Param[] = model.trainableWeights.map((w) => ({
    variable: w.read() as Variable,
    decay: decays(w.originalName, cfg.optimizer.decayOn),
  }));
  const optimizer = createOptimizer(cfg.optimizer, params);
  const ctx: StepContext = {
    model,
    params,
    optimizer,
    labelSmoothing: cfg.labelSmoothing,
    ...(cfg.clipNorm === undefined ? {} : { clipNorm: cfg.clipNorm }),
  };
  const dropout = model.layers.filter((l) => MASK_LAYERS.has(l.getClassName()));
  return {
    step: (batch, lr, rng, quantizationAware, check) => {
      if (quantizationAware) throw new Error('bug: the eager engine has no quantization-aware step');
      seedDropout(dropout, rng);
      const probed =
        check?.probe === undefined ? undefined : activationFigures(model, probes, check.probe, check.activationValues);
      const { loss, correct, squaredGrads, squaredWeights, gradientValues } = trainStep(ctx, batch, lr, check);
      if (check === undefined) return { loss, correct };
      return {
        loss,
        correct,
        check: {
          ...(squaredGrads === undefined ? {} : { squaredGrads }),
          ...(squaredWeights === undefined ? {} : { squaredWeights }),
          ...(gradientValues === undefined ? {} : { gradientValues }),
          ...(probed === undefined ? {} : { activations: probed.figures }),
          ...(probed?.values === undefined ? {} : { activationValues: probed.values }),
        },
      };
    },
    evaluateBatch: (batch) => inferenceStats(model, batch),
    params: model.trainableWeights.map((w) => w.originalName),
    paramValues: () => params.map((p) => p.variable.dataSync() as Float32Array),
    readState: () => [
      ...eagerVariables(model, optimizer).map(({ name, variable }) => namedArray(name, variable)),
      { name: 'optimizer/step', shape: [], data: Float32Array.of(optimizer.steps) },
    ],
    writeState: (arrays) => {
      for (const { name, variable } of eagerVariables(model, optimizer)) {
        const tf = loadTf();
        const value = tf.tensor(arrayNamed(arrays, name, variable.shape).data, variable.shape);
        variable.assign(value);
        value.dispose();
      }
      optimizer.steps = arrays.get('optimizer/step')?.data[0] ?? 0;
    },
    dispose: () => optimizer.dispose(),
  };
}

/**
 * The eager run's variables under the compiled graph's names: every model weight (BatchNorm's
 * moving statistics too), then the optimizer's slots, `<weight>/<slot>`.
 */
function eagerVariables(model: LayersModel, optimizer: Optimizer): { name: string; variable: Variable }[] {
  const trainable = model.trainableWeights.map((w) => w.originalName);
  const slotName = (i: number) =>
    `${trainable[i % trainable.length] ?? ''}/${optimizer.slotSuffixes[Math.floor(i / trainable.length)] ?? ''}`;
  return [
    ...model.weights.map((w) => ({ name: w.originalName, variable: w.read() as Variable })),
    ...optimizer.slots.map((variable, i) => ({ name: slotName(i), variable })),
  ];
}

function namedArray(name: string, variable: Variable): NamedArray {
  return { name, shape: variable.shape, data: Float32Array.from(variable.dataSync() as Float32Array) };
}

export function compiledEngine(compiled: CompiledSteps): Engine {
  return {
    step: (batch, lr, rng, quantizationAware, check) => {
      const seed = [rng.int32(), rng.int32()] as const;
      // The check reads the weights before this step's update, on the same batch and dropout masks.
      const figures = check === undefined ? undefined : diagnose(compiled, batch, seed, check);
      const stats = compiled.train(batch.x, batch.labels, lr, seed, quantizationAware);
      return {
        loss: stats[0] as number,
        correct: stats[1] as number,
        ...(figures === undefined ? {} : { check: figures }),
      };
    },
    evaluateBatch: (batch) => compiled.evaluate(batch.x, batch.labels),
    params: compiled.diagnosedParams ?? [],
    paramValues: () => compiled.diagnosedValues?.() ?? [],
    readState: () => compiled.readArrays(),
    writeState: (arrays) => compiled.writeArrays(arrays),
    dispose: () => undefined,
  };
}

function diagnose(
  compiled: CompiledSteps,
  batch: BatchTensors,
  seed: readonly [number, number],
  check: CheckRequest,
): CheckFigures {
  if (compiled.diagnose === undefined)
    throw new Error('bug: diagnostics on a graph compiled without them (compile with train.diagnostics)');
  return compiled.diagnose(batch.x, batch.labels, seed, check.probe, {
    gradients: check.gradientValues,
    activations: check.activationValues,
  });
}
